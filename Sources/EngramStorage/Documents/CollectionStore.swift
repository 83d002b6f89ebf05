import EngramCore
import Synchronization

/// One index in one shard, with whether it is complete.
///
/// An index declared after documents exist starts out building: the ``IndexBuilder``
/// fills it in id order while writes go on, and writes keep it exact for documents the
/// builder has already passed (see ``CollectionStore/applyIndexes(id:old:new:in:)``).
/// Queries use an index only once it is ready.
public final class IndexSlot: Sendable {
    /// The index.
    public let index: any ShardIndex
    let stateKey: [UInt8]
    private let readyFlag: Atomic<Bool>

    init(index: any ShardIndex, stateKey: [UInt8], ready: Bool) {
        self.index = index
        self.stateKey = stateKey
        self.readyFlag = Atomic(ready)
    }

    /// True once every document is in the index.
    public var isReady: Bool { readyFlag.load(ordering: .acquiring) }

    func markReady() { readyFlag.store(true, ordering: .releasing) }
}

/// A collection's documents, version history and indexes in one shard.
///
/// Documents live in the sub-database `<name>$docs`, keyed by the 16 id bytes, so a
/// scan in key order is a scan in creation order. Values are the MessagePack encoding
/// of the fields (system fields are derived from the id).
public final class CollectionStore: Sendable {
    /// The declaration.
    public let schema: CollectionSchema
    let documents: SubDatabase
    let history: VersionHistory?
    /// The collection's indexes, in declaration order.
    public let slots: [IndexSlot]
    let limits: DocumentLimits
    let meta: SubDatabase

    init(schema: CollectionSchema, documents: SubDatabase, history: VersionHistory?, slots: [IndexSlot], limits: DocumentLimits, meta: SubDatabase) {
        self.schema = schema
        self.documents = documents
        self.history = history
        self.slots = slots
        self.limits = limits
        self.meta = meta
    }

    /// The collection's name.
    public var name: String { schema.name }

    /// The index slot named `name`.
    public func slot(named name: String) -> IndexSlot? {
        slots.first { $0.index.definition.name == name }
    }

    // MARK: Reading

    /// The document with `id`, or nil.
    public func document(_ id: DocumentID, in txn: Transaction) throws -> Document? {
        guard let raw = try txn.get(documents, id.bytes) else { return nil }
        return try Self.decode(id: id, raw)
    }

    static func decode(id: DocumentID, _ raw: UnsafeRawBufferPointer) throws -> Document {
        guard case .map(let fields) = try MessagePack.decode(raw) else {
            throw EngramError(.storage, "document \(id) is not stored as a map")
        }
        return Document(id: id, fields: fields)
    }

    /// Calls `body` for each document in creation order (reversed with
    /// `descending`), starting after `after`, until `body` returns false.
    public func forEach(
        in txn: Transaction, after: DocumentID? = nil, descending: Bool = false, _ body: (Document) throws -> Bool
    ) throws {
        let cursor = try txn.cursor(documents)
        var entry: Cursor.Entry?
        switch (after, descending) {
        case (nil, false): entry = try cursor.first()
        case (nil, true): entry = try cursor.last()
        case (let a?, false): entry = try cursor.seek(atLeast: a.bytes + [0])
        case (let a?, true): entry = try cursor.seek(before: a.bytes)
        }
        while let e = entry {
            let id = try DocumentID(bytes: Array(e.key))
            guard try body(try Self.decode(id: id, e.value)) else { return }
            entry = descending ? try cursor.previous() : try cursor.next()
        }
    }

    /// Number of documents in this shard.
    public func count(in txn: Transaction) throws -> Int {
        try txn.count(documents)
    }

    /// Prior versions of `id`, oldest first (empty if the collection keeps none).
    public func versions(of id: DocumentID, in txn: Transaction) throws -> [DocumentVersion] {
        try history?.versions(id, in: txn) ?? []
    }

    /// The version number of the current state of `id` (1 if never replaced or not versioned).
    public func currentVersion(of id: DocumentID, in txn: Transaction) throws -> Int {
        try history?.currentVersion(id, in: txn) ?? 1
    }

    // MARK: Writing (called by WriteScope inside the shard writer)

    /// Stores `new` (nil deletes) for `id` whose current fields are `old`, keeping
    /// version history and every index in step, all in `txn`.
    func write(id: DocumentID, old: ValueMap?, new: ValueMap?, now: UInt64, in txn: Transaction) throws {
        if let new {
            try txn.put(documents, id.bytes, limits.encode(new, collection: name))
        } else {
            try txn.delete(documents, id.bytes)
        }
        if let history {
            if new == nil {
                try history.purge(id, in: txn)
            } else if let old {
                try history.record(id, fields: old, replacedAt: now, in: txn)
            }
        }
        try applyIndexes(id: id, old: old, new: new, in: txn)
    }

    /// Applies a change to every index that covers `id`: every ready index, and a
    /// building one when its builder has already passed `id`.
    func applyIndexes(id: DocumentID, old: ValueMap?, new: ValueMap?, in txn: Transaction) throws {
        for slot in slots {
            if slot.isReady {
                try slot.index.apply(id: id, old: old, new: new, in: txn)
            } else if let state = try IndexBuildState.read(slot.stateKey, meta: meta, in: txn), state.covers(id) {
                try slot.index.apply(id: id, old: old, new: new, in: txn)
            }
        }
    }
}
