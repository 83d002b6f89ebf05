import EngramCore

/// One index of one collection in one shard, maintained inside the document's
/// write transaction.
///
/// The storage engine implements the ordered secondary index; other targets add
/// kinds (vector, text) through an ``IndexFactory``. The engine calls ``apply`` for
/// every insert, replace, patch and delete in the same transaction as the document
/// write, so a committed write is visible to every index at once, or to none.
public protocol ShardIndex: AnyObject, Sendable {
    /// The declaration this index implements.
    var definition: IndexDefinition { get }

    /// Brings the index up to date with one document change: `old` is the previous
    /// fields (nil for an insert), `new` the next ones (nil for a delete).
    func apply(id: DocumentID, old: ValueMap?, new: ValueMap?, in txn: Transaction) throws

    /// Verifies the index against the collection's documents and returns one line per
    /// disagreement (empty when consistent).
    func check(documents: CollectionStore, in txn: Transaction) throws -> [String]
}

/// Builds the per-shard instance of an index kind.
public struct IndexFactory: Sendable {
    /// The kind this factory builds (``IndexDefinition/kind``).
    public let kind: String
    /// Makes the index for one collection in one shard. Runs inside a write
    /// transaction at open, so it may create its sub-databases.
    public let make: @Sendable (IndexContext) throws -> any ShardIndex

    /// A factory for `kind`.
    public init(kind: String, make: @escaping @Sendable (IndexContext) throws -> any ShardIndex) {
        self.kind = kind
        self.make = make
    }
}

/// What an index factory gets to work with while the shard opens.
public struct IndexContext {
    /// The index declaration.
    public let definition: IndexDefinition
    /// The collection it belongs to.
    public let collection: CollectionSchema
    /// The shard's environment.
    public let environment: Environment
    /// The shard's number.
    public let shardIndex: Int
    /// The open write transaction (creating sub-databases is allowed).
    public let transaction: Transaction

    /// The name prefix shared by every sub-database of this index.
    public var databasePrefix: String { "\(collection.name)$ix$\(definition.name)" }

    /// Opens (creating) the sub-database `suffix` of this index. Every sub-database
    /// of an index is dropped with it.
    public func openDatabase(_ suffix: String) throws -> SubDatabase {
        guard let db = try environment.openDatabase("\(databasePrefix)$\(suffix)", create: true, in: transaction) else {
            throw EngramError(.internal, "LMDB did not create '\(databasePrefix)$\(suffix)'")
        }
        return db
    }
}

/// An index that keeps state outside LMDB (an in-memory graph, a cache) and so must
/// learn which of its ``ShardIndex/apply(id:old:new:in:)`` calls became durable.
///
/// The shard writer runs each request of a batch in a nested transaction and the
/// batch in one top-level transaction. It tells the index, in order, how each request
/// and then the batch ended, always on the writer thread, before any caller of the
/// batch is answered. State changed only after ``batchEnded(committed:)`` reports a
/// commit can therefore never show a write that was rolled back.
public protocol TransactionAwareIndex: ShardIndex {
    /// After each request: `committed` is false when its nested transaction was rolled
    /// back, undoing every `apply` since the previous call.
    func requestEnded(committed: Bool)
    /// After the batch: true once it is durably committed; false when it was abandoned
    /// (every `apply` since the previous call was rolled back; the batch may be retried).
    func batchEnded(committed: Bool)
    /// Called once, when the shard is open and background work is enabled
    /// (``StorageOptions/buildIndexesInBackground``), so the index can queue maintenance
    /// of its own through ``Shard/write(now:_:)``.
    func attach(to shard: Shard)
    /// Called when the shard starts closing: stop queuing work and release the shard.
    func detach()
}
