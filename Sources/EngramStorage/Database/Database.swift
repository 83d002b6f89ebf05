import EngramCore
import Synchronization

/// An Engram database: N shards in one directory, each its own LMDB environment.
///
/// Documents go to shards by their collection's ``Placement``. Operations that name
/// a document id or a shard-key value touch one shard; queries without one fan out to
/// every shard and merge (results are ordered exactly as from one shard). Each shard
/// is a consistent snapshot; a fan-out query is consistent per shard.
///
/// Writes are group-committed per shard and return once durable. Only one process
/// may open a database directory at a time.
public final class Database: Sendable {
    /// The database directory.
    public let path: String
    /// The shards, by number.
    public let shards: [Shard]
    /// Maps documents and shard-key values to shards.
    public let router: ShardRouter
    /// The declared (or, offline, recorded) collections, by name.
    public let schemas: [String: CollectionSchema]
    private let lock: DirectoryLock
    private let builder: Mutex<Task<Void, Error>?>
    private let isClosed = Atomic<Bool>(false)

    /// Number of shards.
    public var shardCount: Int { shards.count }

    /// Opens (creating if needed) the database in directory `path`.
    ///
    /// - Parameters:
    ///   - schema: the collections to declare; missing indexes are created (and built
    ///     online when documents already exist), undeclared ones dropped. Nil opens
    ///     the collections recorded on disk, for offline tools.
    /// - Throws: `DATABASE_LOCKED` if another process has it open; `SCHEMA_MISMATCH`
    ///   for an incompatible format, an unknown index kind or a conflicting shard count.
    public static func open(at path: String, schema: [CollectionSchema]?, options: StorageOptions = StorageOptions()) throws
        -> Database
    {
        try DatabaseDirectory.makeDirectory(path)
        let lock = try DirectoryLock(directory: path)
        do {
            let shardCount: Int
            if let recorded = try DatabaseDirectory.readManifest(path) {
                if let asked = options.shardCount, asked != recorded {
                    throw EngramError(
                        .schemaMismatch, "the database at \(path) has \(recorded) shards, not \(asked); reshard it offline")
                }
                shardCount = recorded
            } else {
                shardCount = options.shardCount ?? StorageOptions.defaultShardCount
                guard (1...1024).contains(shardCount) else {
                    throw EngramError(.invalidArgument, "shard count must be 1 to 1024, got \(shardCount)")
                }
                try DatabaseDirectory.writeManifest(path, shards: shardCount)
            }
            if let schema { try Self.checkTags(schema) }
            let router = ShardRouter(shardCount: shardCount)
            var factories = [IndexDefinition.secondaryKind: SecondaryIndex.factory]
            for f in options.indexFactories { factories[f.kind] = f }
            let ids = DocumentIDGenerator()
            var shards: [Shard] = []
            do {
                for i in 0..<shardCount {
                    let dir = DatabaseDirectory.shardPath(path, i)
                    try DatabaseDirectory.makeDirectory(dir)
                    shards.append(
                        try ShardOpener(
                            index: i, directory: dir, schema: schema, factories: factories, options: options, routing: router,
                            idGenerator: ids
                        ).open())
                }
            } catch {
                for s in shards { s.close(); s.environment.close() }
                throw error
            }
            var schemas: [String: CollectionSchema] = [:]
            for s in shards { for name in s.collectionNames { schemas[name] = try s.collection(name).schema } }
            let db = Database(path: path, shards: shards, router: router, schemas: schemas, lock: lock)
            if options.buildIndexesInBackground { db.startIndexBuild() }
            return db
        } catch {
            lock.release()
            throw error
        }
    }

    private init(path: String, shards: [Shard], router: ShardRouter, schemas: [String: CollectionSchema], lock: DirectoryLock) {
        self.path = path
        self.shards = shards
        self.router = router
        self.schemas = schemas
        self.lock = lock
        self.builder = Mutex(nil)
    }

    private static func checkTags(_ schema: [CollectionSchema]) throws {
        var seen: [UInt16: String] = [:]
        for c in schema {
            if let other = seen[c.tag], other != c.name {
                throw EngramError(.invalidArgument, "collections '\(other)' and '\(c.name)' have the same id tag; rename one")
            }
            seen[c.tag] = c.name
        }
    }

    // MARK: Lifecycle

    private func startIndexBuild() {
        guard shards.contains(where: { s in s.collections.values.contains { $0.slots.contains { !$0.isReady } } }) else { return }
        builder.withLock { $0 = Task { try await self.buildIndexes() } }
    }

    /// Builds every index that is not ready, shard by shard, and returns when all are.
    public func buildIndexes() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for s in shards { group.addTask { try await s.buildIndexes() } }
            try await group.waitForAll()
        }
    }

    /// Finishes queued writes, stops the writers and closes every shard. Further
    /// calls fail with `DATABASE_CLOSED`.
    public func close() async {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        if let task = builder.withLock({ $0 }) {
            task.cancel()
            _ = try? await task.value
        }
        for s in shards { s.close() }
        for s in shards { s.environment.close() }
        lock.release()
    }

    // MARK: Routing

    /// The shard holding document `id`.
    public func shard(of id: DocumentID) -> Shard {
        shards[router.shard(of: id)]
    }

    /// The shard holding documents whose shard key is `value`.
    public func shard(forShardKey value: Value) -> Shard {
        shards[router.shard(forShardKey: value)]
    }

    /// The schema of collection `name`. Throws `COLLECTION_NOT_FOUND`.
    public func schema(of name: String) throws -> CollectionSchema {
        guard let s = schemas[name] else { throw EngramError(.collectionNotFound, "no collection named '\(name)'") }
        return s
    }

    /// The shards a query must visit: one when it pins the shard key (or the
    /// collection lives in the system shard), else all.
    public func shards(for query: Query) throws -> [Shard] {
        let schema = try schema(of: query.collection)
        switch schema.placement {
        case .system: return [shards[0]]
        case .byID: return shards
        case .shardKey(let path):
            for c in query.filter?.conjuncts ?? [] {
                if case .compare(let p, .equal, let v) = c, p == path { return [shard(forShardKey: v)] }
            }
            return shards
        }
    }

    // MARK: Documents

    /// Inserts a document into the shard its placement chooses, returning it with
    /// its `_id` and `_creationTime`.
    @discardableResult
    public func insert(_ collection: String, _ fields: ValueMap, now: UInt64? = nil) async throws -> Document {
        let schema = try schema(of: collection)
        let target = router.shard(for: schema, fields: fields) ?? Int.random(in: 0..<shardCount)
        return try await shards[target].write(now: now) { try $0.insert(collection, fields) }
    }

    /// The document `id` of `collection`, or nil.
    public func get(_ collection: String, _ id: DocumentID) throws -> Document? {
        try shard(of: id).read { try $0.get(collection, id) }
    }

    /// Replaces every field of document `id`. Throws `DOCUMENT_NOT_FOUND`.
    @discardableResult
    public func replace(_ collection: String, _ id: DocumentID, with fields: ValueMap, now: UInt64? = nil) async throws -> Document {
        try await shard(of: id).write(now: now) { try $0.replace(collection, id, with: fields) }
    }

    /// Patches document `id` and returns the result. Throws `DOCUMENT_NOT_FOUND`.
    @discardableResult
    public func patch(_ collection: String, _ id: DocumentID, _ patch: Patch, now: UInt64? = nil) async throws -> Document {
        try await shard(of: id).write(now: now) { try $0.patch(collection, id, patch) }
    }

    /// Deletes document `id` and returns what it held. Throws `DOCUMENT_NOT_FOUND`.
    @discardableResult
    public func delete(_ collection: String, _ id: DocumentID, now: UInt64? = nil) async throws -> Document {
        try await shard(of: id).write(now: now) { try $0.delete(collection, id) }
    }

    /// Prior versions of document `id`, oldest first.
    public func versions(_ collection: String, _ id: DocumentID) throws -> [DocumentVersion] {
        try shard(of: id).read { try $0.versions(collection, id) }
    }

    // MARK: Queries

    /// One page of `query`, merged across the shards it visits.
    public func query(_ query: Query) throws -> QueryPage {
        let targets = try shards(for: query)
        if targets.count == 1 { return try targets[0].read { try $0.query(query) } }
        let (merged, more) = try mergedMatches(query, from: targets)
        let cursor = more ? merged.last.map { QueryCursor.encode(fingerprint: query.fingerprint, position: $0.key) } : nil
        return QueryPage(documents: try merged.map { try $0.document() }, cursor: cursor)
    }

    /// Every document matching `query` (after its cursor, if any), in order.
    ///
    /// Each shard is read once and the shard results are merged, so a fan-out scan
    /// costs what one shard holding everything would.
    public func queryAll(_ query: Query) throws -> [Document] {
        var q = query
        q.limit = nil
        let targets = try shards(for: q)
        if targets.count == 1 { return try targets[0].read { try $0.query(q) }.documents }
        return try mergedMatches(q, from: targets).matches.map { try $0.document() }
    }

    /// The matches of `query` from each of `targets`, merged in result order and cut
    /// to the limit, and whether more exist.
    private func mergedMatches(_ query: Query, from targets: [Shard]) throws -> (matches: [QueryMatch], more: Bool) {
        let usable = usableEverywhere(query.collection)
        var perShard: [[QueryMatch]] = []
        var more = false
        for s in targets {
            let (matches, shardHasMore) = try s.read { try QueryExecutor(scope: $0, usable: usable).matches(query) }
            perShard.append(matches)
            more = more || shardHasMore
        }
        let plan = try QueryPlan.make(query, store: try shards[0].collection(query.collection), usable: usable)
        let descending = plan.sortInMemory == nil && plan.descending  // in-memory sort keys always ascend
        var merged = Self.merge(perShard, descending: descending, limit: query.limit.map { $0 + 1 })
        if let limit = query.limit, merged.count > limit {
            merged.removeLast(merged.count - limit)
            more = true
        }
        return (merged, more)
    }

    /// K-way merge of sorted runs by key, keeping at most `limit`.
    private static func merge(_ runs: [[QueryMatch]], descending: Bool, limit: Int?) -> [QueryMatch] {
        var heads = [Int](repeating: 0, count: runs.count)
        var out: [QueryMatch] = []
        out.reserveCapacity(min(limit ?? .max, runs.reduce(0) { $0 + $1.count }))
        while limit.map({ out.count < $0 }) ?? true {
            var best: Int?
            for r in runs.indices where heads[r] < runs[r].count {
                guard let b = best else { best = r; continue }
                let c = compareBytes(runs[r][heads[r]].key, runs[b][heads[b]].key)
                if descending ? c > 0 : c < 0 { best = r }
            }
            guard let b = best else { break }
            out.append(runs[b][heads[b]])
            heads[b] += 1
        }
        return out
    }

    /// Number of documents matching `query` (limit and cursor ignored).
    public func count(_ query: Query) throws -> Int {
        try shards(for: query).reduce(0) { n, s in n + (try s.read { try $0.count(query) }) }
    }

    /// Whether an index may serve a query that merges shards: only once it is
    /// ready in every shard, so that every shard yields keys of the same kind.
    private func usableEverywhere(_ collection: String) -> @Sendable (String) -> Bool {
        let shards = self.shards
        return { name in shards.allSatisfy { (try? $0.collection(collection).slot(named: name)?.isReady) == true } }
    }

    // MARK: Verification

    /// Checks every shard: documents against every index and version record.
    /// Returns one line per disagreement; empty means consistent.
    public func check() throws -> [String] {
        try shards.flatMap { try $0.check() }
    }
}
