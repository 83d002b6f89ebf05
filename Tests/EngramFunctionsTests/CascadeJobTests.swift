import EngramCore
import EngramFunctions
import EngramStorage
import Foundation
import Testing

/// Durable cascade jobs: interruption and resume, idempotence, user erasure.
@Suite struct CascadeJobTests {
    static func open(_ path: String, shards: Int = 3) throws -> Database {
        var options = StorageOptions()
        options.shardCount = shards
        options.environment.durable = false
        options.indexFactories = Catalogue.indexFactories
        return try Database.open(at: path, schema: Catalogue.collections, options: options)
    }

    static func count(_ db: Database, _ table: String, _ filter: EngramStorage.Predicate? = nil) throws -> Int {
        try db.count(Query(table, filter: filter))
    }

    /// Space "s" gets 4 conversations, 5 memories, 2 facts; space "keep" one of each.
    static func seedSpaces(_ db: Database, at now: UInt64) async throws {
        for (space, scale) in [("s", 1), ("keep", 0)] {
            let sp = Value.string(space)
            for i in 0..<(scale == 1 ? 4 : 1) { try await db.insert("conversations", ["conversationId": .string("c\(i)"), "memorySpaceId": sp], now: now) }
            for i in 0..<(scale == 1 ? 5 : 1) { try await db.insert("memories", ["memoryId": .string("m\(i)"), "memorySpaceId": sp], now: now) }
            for i in 0..<(scale == 1 ? 2 : 1) { try await db.insert("facts", ["factId": .string("f\(i)"), "memorySpaceId": sp], now: now) }
        }
    }

    static func record(_ db: Database, steps: [CascadeStep], now: UInt64) async throws -> CascadeJob {
        try await db.shards[0].write(now: now) { scope in
            try CascadeJobs.record(kind: "deleteSpace", subject: "s", steps: steps, in: scope)
        }
    }

    static func finish(_ runner: CascadeRunner, _ job: CascadeJob, step: Int) async throws {
        while try await !runner.applyBatch(of: job, step: step) {}
    }

    @Test func anInterruptedJobResumesAfterReopeningWithoutTouchingNewerData() async throws {
        let path = NSTemporaryDirectory() + "engram-jobs-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var db = try Self.open(path)
        try await Self.seedSpaces(db, at: 1_000)
        let job = try await Self.record(db, steps: CascadePlans.spaceDeletion(memorySpaceId: "s", in: db), now: 2_000)
        let runner = CascadeRunner(database: db, batchSize: 2)
        #expect(try await runner.applyBatch(of: job, step: 0) == false)
        #expect(try await runner.applyBatch(of: job, step: 1) == false)
        let partial = try runner.progress(of: job)
        #expect(partial.map(\.deleted) == [2, 2, 0])
        #expect(partial.map(\.done) == [false, false, false])
        // The process stops here; half the data is gone, the job is on disk.
        await db.close()

        db = try Self.open(path)
        let pending = try CascadeJobs.pending(in: db)
        #expect(pending == [job])
        // Data written after the job started (a later "now") is not the job's to delete.
        try await db.insert("memories", ["memoryId": "late", "memorySpaceId": "s"], now: 3_000)
        let resumed = try await CascadeRunner(database: db, batchSize: 2).resumePending()
        #expect(resumed == 1)
        let s: EngramStorage.Predicate = .eq("memorySpaceId", "s")
        #expect(try Self.count(db, "conversations", s) == 0)
        #expect(try Self.count(db, "memories", s) == 1)
        #expect(try db.queryAll(Query("memories", filter: s)).first?.fields["memoryId"] == "late")
        #expect(try Self.count(db, "facts", s) == 0)
        #expect(try Self.count(db, "memories", EngramStorage.Predicate.eq("memorySpaceId", "keep")) == 1)
        #expect(try CascadeJobs.pending(in: db).isEmpty)
        #expect(try Self.count(db, "engramCascadeProgress") == 0)
        #expect(try db.check().isEmpty)
        await db.close()
    }

    @Test func stepsAreIdempotentAndCountEachDocumentOnce() async throws {
        try await withCatalogue(shards: 2) { h in
            try await Self.seedSpaces(h.db, at: 1_000)
            let job = try await Self.record(h.db, steps: CascadePlans.spaceDeletion(memorySpaceId: "s", in: h.db), now: 2_000)
            let a = CascadeRunner(database: h.db, batchSize: 1), b = CascadeRunner(database: h.db, batchSize: 1)
            // Two runners race over the memories step.
            async let left: Void = Self.finish(a, job, step: 1)
            async let right: Void = Self.finish(b, job, step: 1)
            try await left
            try await right
            #expect(try a.progress(of: job)[1].deleted == 5)
            #expect(try a.progress(of: job)[1].done)
            // Re-applying a finished step changes nothing.
            #expect(try await a.applyBatch(of: job, step: 1))
            #expect(try a.progress(of: job)[1].deleted == 5)
            #expect(try await a.run(job) == [4, 5, 2])
            #expect(try CascadeJobs.pending(in: h.db).isEmpty)
        }
    }

    @Test func aFailingJobStaysPendingAndOthersStillComplete() async throws {
        try await withCatalogue(shards: 2) { h in
            try await Self.seedSpaces(h.db, at: 1_000)
            let broken = try await Self.record(
                h.db, steps: [CascadeStep(shard: 1, table: "memories", index: "no_such_index", values: ["s"])], now: 1_500)
            _ = try await Self.record(h.db, steps: CascadePlans.spaceDeletion(memorySpaceId: "s", in: h.db), now: 2_000)
            await #expect(throws: (any Error).self) { try await CascadeRunner(database: h.db).resumePending() }
            #expect(try CascadeJobs.pending(in: h.db).map(\.id) == [broken.id])
            #expect(try Self.count(h.db, "memories", EngramStorage.Predicate.eq("memorySpaceId", "s")) == 0)
        }
    }

    @Test func aJobAcrossEveryShardDeletesAUsersDocumentsEverywhere() async throws {
        try await withCatalogue(shards: 3) { h in
            let db = h.db
            for user in ["u1", "u2"] {
                let u = Value.string(user)
                try await db.insert("immutable", ["type": "user", "id": u, "data": [:]], now: 10)
                for space in ["a", "b", "c", "d"] {
                    let sp = Value.string(space)
                    try await db.insert("memories", ["memorySpaceId": sp, "userId": u], now: 10)
                    try await db.insert("facts", ["memorySpaceId": sp, "userId": u], now: 10)
                    try await db.insert("conversations", ["memorySpaceId": sp, "participants": ["userId": u]], now: 10)
                    try await db.insert("contexts", ["memorySpaceId": sp, "userId": u], now: 10)
                    try await db.insert("factHistory", ["memorySpaceId": sp, "userId": u], now: 10)
                }
                for ns in ["x", "y"] {
                    try await db.insert("mutable", ["namespace": .string(ns), "key": "k", "userId": u], now: 10)
                    try await db.insert("immutable", ["type": .string(ns), "id": .string("\(user)-\(ns)"), "userId": u], now: 10)
                    try await db.insert("sessions", ["sessionId": .string("\(user)-\(ns)"), "userId": u], now: 10)
                }
            }
            // A GDPR-style erasure: the profile, then every table that records a user, in every shard.
            let user = Value.string("u1")
            let tables: [(String, String)] = [
                ("conversations", "by_user"), ("immutable", "by_userId"), ("mutable", "by_userId"), ("memories", "by_userId"),
                ("facts", "by_userId"), ("factHistory", "by_userId"), ("contexts", "by_userId"), ("sessions", "by_userId"),
            ]
            let steps = [CascadeStep(shard: db.router.shard(forShardKey: user), table: "immutable", index: "by_type_id", values: ["user", user])]
                + tables.flatMap { t in db.shards.indices.map { CascadeStep(shard: $0, table: t.0, index: t.1, values: [user]) } }
            let job = try await db.shards[0].write(now: 20) { scope in
                try CascadeJobs.record(kind: "eraseUser", subject: "u1", steps: steps, in: scope)
            }
            let perStep = try await CascadeRunner(database: db, batchSize: 3).run(job)
            var counts: [String: Int] = [:]
            for (step, n) in zip(steps, perStep) { counts[step.table, default: 0] += n }
            #expect(
                counts == [
                    "immutable": 3, "memories": 4, "facts": 4, "conversations": 4, "contexts": 4, "factHistory": 4,
                    "mutable": 2, "sessions": 2,
                ])
            for table in ["memories", "facts", "contexts", "factHistory", "mutable", "sessions"] {
                #expect(try Self.count(db, table, EngramStorage.Predicate.eq("userId", "u1")) == 0)
                #expect(try Self.count(db, table, EngramStorage.Predicate.eq("userId", "u2")) > 0)
            }
            #expect(try Self.count(db, "conversations", EngramStorage.Predicate.eq("participants.userId", "u1")) == 0)
            #expect(try Self.count(db, "immutable", EngramStorage.Predicate.eq("id", "u1")) == 0)
            #expect(try Self.count(db, "immutable", EngramStorage.Predicate.eq("id", "u2")) == 1)
            #expect(try CascadeJobs.pending(in: db).isEmpty)
        }
    }
}
