import EngramCore
import EngramStorage

/// Writes that visit several shards.
///
/// A write closure is atomic within its shard. Work that spans shards (a purge of a
/// whole table, a bulk delete without a shard key) runs one closure per shard, each
/// re-selecting its documents inside its own transaction, so a retry after a crash
/// or failure simply finishes the job (every step is idempotent).
extension Database {
    /// The shards holding `table`'s documents with shard-key value `shardKey`: one
    /// when the value is given (or the table lives in the system shard), else all.
    public func shards(of table: String, shardKey: Value?) throws -> [Shard] {
        switch try schema(of: table).placement {
        case .system: return [shards[0]]
        case .byID: return shards
        case .shardKey: return shardKey.map { [shard(forShardKey: $0)] } ?? shards
        }
    }

    /// Runs `body` in a write transaction of each shard in turn and returns the
    /// results in the same order. A shard whose closure throws stops the run; the
    /// shards before it stay committed.
    public func writeEach<T: Sendable>(
        _ shards: [Shard], now: UInt64, _ body: @escaping @Sendable (WriteScope) throws -> T
    ) async throws -> [T] {
        var out: [T] = []
        for shard in shards { out.append(try await shard.write(now: now, body)) }
        return out
    }

    /// Deletes, shard by shard, the documents `select` picks inside each shard's write
    /// transaction, and returns them all in creation order (which is also index order
    /// for an equality lookup).
    public func deleteEach(
        _ table: String, in shards: [Shard], now: UInt64, select: @escaping @Sendable (WriteScope) throws -> [Document]
    ) async throws -> [Document] {
        let perShard = try await writeEach(shards, now: now) { scope in
            let chosen = try select(scope)
            for doc in chosen { try scope.delete(table, doc.id) }
            return chosen
        }
        return perShard.count == 1 ? perShard[0] : perShard.joined().sorted { $0.id < $1.id }
    }

    /// Deletes every document of `table` that satisfies `condition`, shard by shard,
    /// in transactions of at most `batch` documents, and returns how many it deleted.
    /// Unlike ``deleteEach(_:in:now:select:)`` it holds one batch in memory at a time;
    /// each batch is atomic, so a retry after a failure finishes the job.
    public func purge(_ table: String, where condition: Predicate?, batch: Int = 1000, now: UInt64) async throws -> Int {
        var deleted = 0
        for shard in try shards(of: table, shardKey: nil) {
            while true {
                let count = try await shard.write(now: now) { scope in
                    let docs = try scope.query(Query(table, filter: condition, index: .creationOrder, limit: batch)).documents
                    for doc in docs { try scope.delete(table, doc.id) }
                    return docs.count
                }
                deleted += count
                if count < batch { break }
            }
        }
        return deleted
    }
}
