import EngramCore

/// The recorded state of one index in one shard: its declaration and how far it is built.
///
/// Stored in the shard's meta database under `index/<collection>/<name>`, and written
/// in the same transactions as the index entries, so after any crash the state and
/// the entries agree.
struct IndexBuildState: Equatable {
    /// The declaration the entries were built for.
    var definition: IndexDefinition
    /// True once every document is indexed.
    var ready: Bool
    /// While building: the last document id indexed (nil before the first).
    var after: DocumentID?

    /// Whether documents with `id` are already maintained in the index.
    func covers(_ id: DocumentID) -> Bool {
        ready || (after.map { id <= $0 } ?? false)
    }

    static func key(collection: String, index: String) -> [UInt8] {
        Array("index/\(collection)/\(index)".utf8)
    }

    static func read(_ key: [UInt8], meta: SubDatabase, in txn: Transaction) throws -> IndexBuildState? {
        guard let raw = try txn.get(meta, key) else { return nil }
        let v = try MessagePack.decode(raw)
        guard let def = v["definition"], let ready = v["ready"]?.boolValue else {
            throw EngramError(.storage, "malformed index state '\(String(decoding: key, as: UTF8.self))'")
        }
        var after: DocumentID?
        if case .bytes(let b)? = v["after"] { after = try DocumentID(bytes: b) }
        return IndexBuildState(definition: try IndexDefinition(decoding: def), ready: ready, after: after)
    }

    func write(_ key: [UInt8], meta: SubDatabase, in txn: Transaction) throws {
        var m: ValueMap = ["definition": definition.encoded, "ready": .bool(ready)]
        if let after { m["after"] = .bytes(after.bytes) }
        try txn.put(meta, key, MessagePack.encode(.map(m)))
    }
}

/// Fills indexes declared after their collection already had documents, without
/// stopping writers.
///
/// Each step is an ordinary job of the shard's writer: it indexes the next batch of
/// documents after the recorded position and records the new position, in one
/// transaction. Writes between steps keep the index exact for documents at or before
/// the position and leave the rest to the builder, so nothing is indexed twice or
/// missed. The step that reaches the end marks the index ready.
enum IndexBuilder {
    /// Documents indexed per step: small enough not to hold up the writers' batches.
    static let batchSize = 512

    /// Indexes one batch for `slot`. Returns true when the index became ready.
    static func step(slot: IndexSlot, collection: CollectionStore, scope: WriteScope) throws -> Bool {
        let txn = scope.transaction
        guard var state = try IndexBuildState.read(slot.stateKey, meta: collection.meta, in: txn) else {
            throw EngramError(.internal, "index '\(slot.index.definition.name)' has no recorded state")
        }
        if state.ready { return true }
        var indexed = 0
        var last = state.after
        try collection.forEach(in: txn, after: state.after) { doc in
            try slot.index.apply(id: doc.id, old: nil, new: doc.fields, in: txn)
            last = doc.id
            indexed += 1
            return indexed < batchSize
        }
        state.after = last
        state.ready = indexed < batchSize
        try state.write(slot.stateKey, meta: collection.meta, in: txn)
        if state.ready { scope.afterCommit { slot.markReady() } }
        return state.ready
    }
}
