import EngramCore

/// One shard: an LMDB environment with its collections, indexes, change log and
/// writer.
///
/// Reads run on the caller's thread in a snapshot (``read(_:)``); writes queue for
/// the shard's writer and are group-committed (``write(now:_:)``).
public final class Shard: Sendable {
    /// The shard's number, `0..<shardCount`.
    public let index: Int
    /// The LMDB environment.
    public let environment: Environment
    /// Maps documents to shards.
    public let routing: ShardRouter
    /// The change log.
    public let changeLog: ChangeLog
    let collections: [String: CollectionStore]
    let idGenerator: DocumentIDGenerator
    let clock: any WallClock
    let meta: SubDatabase
    /// The indexes that follow request and batch outcomes, in collection order.
    let transactionAwareIndexes: [any TransactionAwareIndex]
    private let writer: ShardWriter

    init(
        index: Int, environment: Environment, routing: ShardRouter, collections: [String: CollectionStore],
        changeLog: ChangeLog, meta: SubDatabase, idGenerator: DocumentIDGenerator, clock: any WallClock,
        observer: (@Sendable (CommitBatch) -> Void)?, backgroundWork: Bool
    ) {
        self.index = index
        self.environment = environment
        self.routing = routing
        self.collections = collections
        self.changeLog = changeLog
        self.meta = meta
        self.idGenerator = idGenerator
        self.clock = clock
        self.transactionAwareIndexes = collections.keys.sorted().flatMap { name in
            collections[name]!.slots.compactMap { $0.index as? any TransactionAwareIndex }  // name is a key of collections
        }
        self.writer = ShardWriter(shardIndex: index, observer: observer)
        writer.start(shard: self)
        if backgroundWork { for index in transactionAwareIndexes { index.attach(to: self) } }
    }

    /// True once ``close()`` began: writes submitted from now on fail with `DATABASE_CLOSED`.
    public var isClosed: Bool { writer.isClosing }

    /// The store of collection `name`. Throws `COLLECTION_NOT_FOUND` if undeclared.
    public func collection(_ name: String) throws -> CollectionStore {
        guard let c = collections[name] else {
            throw EngramError(.collectionNotFound, "no collection named '\(name)'")
        }
        return c
    }

    /// The names of the collections open in this shard.
    public var collectionNames: [String] { collections.keys.sorted() }

    /// Runs `body` in a read-only snapshot of this shard.
    public func read<T>(_ body: (ReadScope) throws -> T) throws -> T {
        try environment.read { txn in try body(ReadScope(shard: self, transaction: txn)) }
    }

    /// Runs `body` in this shard's next write batch and returns its result once the
    /// batch is durably committed. If `body` throws, none of its writes persist.
    /// `now` defaults to the clock.
    @discardableResult
    public func write<T: Sendable>(now: UInt64? = nil, _ body: @escaping @Sendable (WriteScope) throws -> T) async throws -> T {
        try await writer.submit(now: now ?? clock.nowMilliseconds(), body)
    }

    /// Builds every index that is not ready yet, one batch per write, until all are.
    func buildIndexes() async throws {
        for store in collections.values {
            for slot in store.slots where !slot.isReady {
                while try await write({ scope in try IndexBuilder.step(slot: slot, collection: store, scope: scope) }) == false {}
            }
        }
    }

    /// Checks every document of every collection against every index and version
    /// record; returns one line per disagreement.
    public func check() throws -> [String] {
        try read { scope in
            var problems: [String] = []
            for name in collectionNames {
                let store = collections[name]!  // name comes from collections' keys
                var docs = 0
                try store.forEach(in: scope.transaction) { doc in
                    docs += 1
                    if case .shardKey = store.schema.placement {
                        let expected = routing.shard(of: doc.id)
                        if expected != index {
                            problems.append("document \(doc.id) routes to shard \(expected)")
                        }
                    }
                    return true
                }
                for slot in store.slots where slot.isReady {
                    problems += try slot.index.check(documents: store, in: scope.transaction).map { "\(name): \($0)" }
                }
                if let history = store.history {
                    problems += try history.check(documents: store, in: scope.transaction).map { "\(name): \($0)" }
                }
            }
            return problems.map { "shard \(index): \($0)" }
        }
    }

    /// Finishes queued writes and stops the writer. The environment is closed by the caller.
    func close() {
        for index in transactionAwareIndexes { index.detach() }
        writer.close()
    }
}
