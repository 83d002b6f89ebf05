import EngramCore

/// A consistent view of one shard: what a read closure receives.
///
/// Valid only inside the closure it was passed to. Queries through a scope see this
/// shard's part of a collection only; ``Database`` fans out and merges.
public class ReadScope {
    /// The shard being read.
    public let shard: Shard
    /// The underlying transaction (for index kinds that read their own sub-databases).
    public let transaction: Transaction

    init(shard: Shard, transaction: Transaction) {
        self.shard = shard
        self.transaction = transaction
    }

    /// The store of collection `name`. Throws `COLLECTION_NOT_FOUND` if undeclared.
    public func collection(_ name: String) throws -> CollectionStore {
        try shard.collection(name)
    }

    /// The document `id` of `collection`, or nil. Throws `INVALID_DOCUMENT_ID` if the
    /// id belongs to another collection.
    public func get(_ collection: String, _ id: DocumentID) throws -> Document? {
        let store = try self.collection(collection)
        try Self.checkTag(id, store)
        return try store.document(id, in: transaction)
    }

    /// Runs `query` against this shard.
    public func query(_ query: Query) throws -> QueryPage {
        try QueryExecutor(scope: self).page(query)
    }

    /// Counts the documents of this shard that match `query` (limit and cursor ignored).
    public func count(_ query: Query) throws -> Int {
        try QueryExecutor(scope: self).count(query)
    }

    /// Prior versions of a document, oldest first.
    public func versions(_ collection: String, _ id: DocumentID) throws -> [DocumentVersion] {
        let store = try self.collection(collection)
        try Self.checkTag(id, store)
        return try store.versions(of: id, in: transaction)
    }

    /// The current version number of a document (1 when never replaced).
    public func currentVersion(_ collection: String, _ id: DocumentID) throws -> Int {
        try self.collection(collection).currentVersion(of: id, in: transaction)
    }

    /// The shard's change log.
    public var changeLog: ChangeLog { shard.changeLog }

    static func checkTag(_ id: DocumentID, _ store: CollectionStore) throws {
        guard id.collectionTag == store.schema.tag else {
            throw EngramError(.invalidDocumentID, "id \(id) does not belong to collection '\(store.name)'")
        }
    }
}

/// One ordered modification of a document's fields.
public enum PatchOperation: Sendable, Equatable {
    /// Stores a value at a path, creating intermediate objects.
    case set(FieldPath, Value)
    /// Removes the field at a path (no-op if absent).
    case remove(FieldPath)
}

/// A partial update: operations applied in order.
public struct Patch: Sendable, Equatable {
    /// The operations, applied first to last.
    public var operations: [PatchOperation]

    /// A patch from operations.
    public init(_ operations: [PatchOperation]) { self.operations = operations }

    /// Sets each top-level field of `set`, then removes each of `remove`.
    public init(set: ValueMap = [:], remove: [String] = []) {
        operations = set.map { .set(FieldPath([$0.key]), $0.value) } + remove.map { .remove(FieldPath([$0])) }
    }

    func applied(to fields: ValueMap) throws -> ValueMap {
        var doc = Value.map(fields)
        for op in operations {
            switch op {
            case .set(let path, let value): doc = try doc.setting(path, to: value)
            case .remove(let path): doc = doc.removing(path)
            }
        }
        return doc.mapValue ?? [:]
    }
}

/// A read-write view of one shard inside the writer's batch: what a write closure
/// receives.
///
/// Everything done through one scope commits atomically, or not at all if the
/// closure throws; other requests in the same batch are unaffected. The closure may
/// run more than once (when the map must grow, the batch is retried), so it must not
/// have effects outside the scope; use ``afterCommit(_:)`` for those.
public final class WriteScope: ReadScope {
    /// "now" for this request, in milliseconds since the epoch: `_creationTime` of
    /// inserted documents and the `replacedAt` of versions.
    public let now: UInt64
    var commitActions: [@Sendable () -> Void] = []

    init(shard: Shard, transaction: Transaction, now: UInt64) {
        self.now = now
        super.init(shard: shard, transaction: transaction)
    }

    /// Inserts a document, assigning `_id` and `_creationTime` (= ``now``).
    ///
    /// Throws `INVALID_ARGUMENT` for a field name starting with `_`,
    /// `LIMIT_EXCEEDED` for an oversized document, and `SHARD_KEY_IMMUTABLE`-class
    /// routing errors if the document belongs to another shard.
    @discardableResult
    public func insert(_ collection: String, _ fields: ValueMap) throws -> Document {
        let store = try self.collection(collection)
        let routing = try shard.routing.routingHash(for: store.schema, fields: fields, shard: shard.index)
        let id = shard.idGenerator.make(milliseconds: now, collectionTag: store.schema.tag, routing: routing)
        try store.write(id: id, old: nil, new: fields, now: now, in: transaction)
        try shard.changeLog.append(.insert, collection: collection, id: id, in: transaction)
        return Document(id: id, fields: fields)
    }

    /// Replaces every field of document `id`. Throws `DOCUMENT_NOT_FOUND` if absent.
    @discardableResult
    public func replace(_ collection: String, _ id: DocumentID, with fields: ValueMap) throws -> Document {
        let store = try self.collection(collection)
        let old = try existing(store, id)
        try checkShardKey(store, old: old.fields, new: fields)
        try store.write(id: id, old: old.fields, new: fields, now: now, in: transaction)
        try shard.changeLog.append(.update, collection: collection, id: id, in: transaction)
        return Document(id: id, fields: fields)
    }

    /// Applies `patch` to document `id` and returns the result. Throws
    /// `DOCUMENT_NOT_FOUND` if absent.
    @discardableResult
    public func patch(_ collection: String, _ id: DocumentID, _ patch: Patch) throws -> Document {
        let store = try self.collection(collection)
        let old = try existing(store, id)
        let fields = try patch.applied(to: old.fields)
        if fields == old.fields { return old }  // nothing changed: no write, no new version
        try checkShardKey(store, old: old.fields, new: fields)
        try store.write(id: id, old: old.fields, new: fields, now: now, in: transaction)
        try shard.changeLog.append(.update, collection: collection, id: id, in: transaction)
        return Document(id: id, fields: fields)
    }

    /// Deletes document `id` (and its version history) and returns what it held.
    /// Throws `DOCUMENT_NOT_FOUND` if absent.
    @discardableResult
    public func delete(_ collection: String, _ id: DocumentID) throws -> Document {
        let store = try self.collection(collection)
        let old = try existing(store, id)
        try store.write(id: id, old: old.fields, new: nil, now: now, in: transaction)
        try shard.changeLog.append(.delete, collection: collection, id: id, in: transaction)
        return old
    }

    /// Runs `action` once this request's batch is durably committed; never if the
    /// request fails or the batch is retried.
    public func afterCommit(_ action: @escaping @Sendable () -> Void) {
        commitActions.append(action)
    }

    private func existing(_ store: CollectionStore, _ id: DocumentID) throws -> Document {
        try Self.checkTag(id, store)
        guard let doc = try store.document(id, in: transaction) else {
            throw EngramError(.documentNotFound, "no document \(id) in '\(store.name)'")
        }
        return doc
    }

    private func checkShardKey(_ store: CollectionStore, old: ValueMap, new: ValueMap) throws {
        guard case .shardKey(let path) = store.schema.placement else { return }
        let before = Value.map(old).lookup(path), after = Value.map(new).lookup(path)
        guard before == after else {
            throw EngramError(
                .shardKeyImmutable, "'\(path)' of a document in '\(store.name)' cannot change: the collection is sharded by it")
        }
    }
}
