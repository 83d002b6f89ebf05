import EngramCore
import EngramStorage

/// The cascades the catalogue runs as jobs, as lists of steps.
public enum CascadePlans {
    /// The tables `memorySpaces:deleteSpace` cascades to, in the order of its result's counts.
    public static let spaceTables = ["conversations", "memories", "facts"]

    /// Deleting a space's data: its conversations, memories and facts (every tenant,
    /// superseded facts included), all in the shard of its memorySpaceId.
    public static func spaceDeletion(memorySpaceId: String, in database: Database) -> [CascadeStep] {
        let shard = database.router.shard(forShardKey: .string(memorySpaceId))
        return spaceTables.map {
            CascadeStep(shard: shard, table: $0, index: "by_memorySpace", values: [.string(memorySpaceId)])
        }
    }

    /// The tables that record a user, with the index that finds a user's documents.
    public static let userIndexes: [(table: String, index: String)] = [
        ("conversations", "by_user"), ("immutable", "by_userId"), ("mutable", "by_userId"),
        ("memories", "by_userId"), ("facts", "by_userId"), ("factHistory", "by_userId"),
        ("contexts", "by_userId"), ("sessions", "by_userId"),
    ]

    /// Erasing a user (GDPR): their profile (`immutable` type `user`, id = userId) and,
    /// in every shard, every document of ``userIndexes`` that names them.
    public static func userErasure(userId: String, in database: Database) -> [CascadeStep] {
        let user = Value.string(userId)
        let profile = CascadeStep(
            shard: database.router.shard(forShardKey: user), table: "immutable", index: "by_type_id", values: ["user", user])
        return [profile]
            + userIndexes.flatMap { t in
                database.shards.indices.map { CascadeStep(shard: $0, table: t.table, index: t.index, values: [user]) }
            }
    }
}

/// Erasing everything a user owns, across every table and shard, as one durable job.
public enum UserErasure {
    /// Deletes `userId`'s profile and every document of the tables that record a user
    /// (``CascadePlans/userIndexes``) naming them, whatever their tenant or space;
    /// returns the number deleted per table. The job is recorded before the first
    /// deletion, so if the call fails or the process stops, ``CascadeRunner/resumePending()``
    /// finishes it.
    ///
    /// There is no catalogue function for this (the contract's SDKs orchestrate their
    /// own cascades); it is the server's GDPR erasure primitive.
    public static func erase(userId: String, in database: Database, now: UInt64, batchSize: Int = 256) async throws
        -> [String: Int]
    {
        let steps = CascadePlans.userErasure(userId: userId, in: database)
        let job = try await database.shards[0].write(now: now) { scope in
            try CascadeJobs.record(kind: "eraseUser", subject: userId, steps: steps, in: scope)
        }
        let counts = try await CascadeRunner(database: database, batchSize: batchSize).run(job)
        var byTable: [String: Int] = [:]
        for (step, n) in zip(steps, counts) { byTable[step.table, default: 0] += n }
        return byTable
    }
}
