import EngramCore
@testable import EngramStorage
import Foundation
import Synchronization
import Testing

@Suite struct WriteBehaviourTests {
    static let notes = CollectionSchema(
        name: "notes", placement: .shardKey("space"),
        indexes: [.secondary("by_space_n", ["space", "n"])],
        versions: .last(2))

    @Test func aFailingRequestNeverAbortsItsBatch() async throws {
        let t = try TestDatabase(schema: [Self.notes], shards: 1)
        let shard = t.db.shards[0]
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<200 {
                group.addTask {
                    do {
                        try await shard.write { scope in
                            try scope.insert("notes", ["space": "a", "n": .int(Int64(i))])
                            if i % 3 == 0 { throw EngramError(.invalidArgument, "request \(i) fails after writing") }
                        }
                        return true
                    } catch { return false }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 133)
        let stored = try t.db.queryAll(Query("notes", filter: .eq("space", "a"))).compactMap { $0.fields["n"]?.int64Value }
        #expect(stored.count == 133)
        #expect(stored.allSatisfy { $0 % 3 != 0 })
        #expect(try t.db.check() == [])
        await t.destroy()
    }

    @Test func batchesGroupConcurrentWriters() async throws {
        let sizes = Mutex<[Int]>([])
        let t = try TestDatabase(schema: [Self.notes], shards: 1) { o in
            o.commitObserver = { batch in sizes.withLock { $0.append(batch.requests) } }
            o.environment.durable = true
        }
        let db = t.db
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<256 {
                group.addTask { try await db.insert("notes", ["space": "b", "n": .int(Int64(i))]) }
            }
            try await group.waitForAll()
        }
        let observed = sizes.withLock { $0 }
        #expect(observed.reduce(0, +) == 256)
        #expect(observed.count < 256, "256 concurrent durable writes took \(observed.count) commits")
        await t.destroy()
    }

    @Test func shardKeyIsImmutableAndRoutesToOneShard() async throws {
        let t = try TestDatabase(schema: [Self.notes], shards: 4)
        let doc = try await t.db.insert("notes", ["space": "s1", "n": 1])
        #expect(t.db.shard(of: doc.id).index == t.db.shard(forShardKey: "s1").index)
        #expect(try t.db.shards(for: Query("notes", filter: .eq("space", "s1"))).count == 1)
        await #expect { try await t.db.patch("notes", doc.id, Patch(set: ["space": "s2"])) } throws: {
            ($0 as? EngramError)?.code == .shardKeyImmutable
        }
        await t.destroy()
    }

    @Test func versionsAreKeptWithinRetentionAndPurgedOnDelete() async throws {
        let t = try TestDatabase(schema: [Self.notes])
        let doc = try await t.db.insert("notes", ["space": "v", "n": 0])
        for i in 1...5 { try await t.db.patch("notes", doc.id, Patch(set: ["n": .int(Int64(i))])) }
        let versions = try t.db.versions("notes", doc.id)
        #expect(versions.map(\.version) == [4, 5])
        #expect(versions.map { $0.fields["n"] } == [3, 4])
        #expect(try t.db.shard(of: doc.id).read { try $0.currentVersion("notes", doc.id) } == 6)
        try await t.db.delete("notes", doc.id)
        #expect(try t.db.versions("notes", doc.id).isEmpty)
        #expect(try t.db.check() == [])
        await t.destroy()
    }

    @Test func reservedAndOversizedDocumentsAreRejected() async throws {
        let t = try TestDatabase(schema: [Self.notes]) { o in o.documentLimits.maxDocumentBytes = 1000 }
        await #expect { try await t.db.insert("notes", ["space": "x", "_id": "mine"]) } throws: {
            ($0 as? EngramError)?.code == .invalidArgument
        }
        await #expect { try await t.db.insert("notes", ["space": "x", "big": .string(String(repeating: "a", count: 2000))]) } throws: {
            ($0 as? EngramError)?.code == .limitExceeded
        }
        await t.destroy()
    }

    @Test func changeLogRecordsEveryWriteInOrder() async throws {
        let t = try TestDatabase(schema: [Self.notes], shards: 1)
        let doc = try await t.db.insert("notes", ["space": "c", "n": 1])
        try await t.db.patch("notes", doc.id, Patch(set: ["n": 2]))
        try await t.db.delete("notes", doc.id)
        let changes = try t.db.shards[0].read { try $0.changeLog.changes(after: 0, limit: 10, in: $0.transaction) }
        #expect(changes.map(\.operation) == [.insert, .update, .delete])
        #expect(changes.map(\.sequence) == [1, 2, 3])
        #expect(Set(changes.map(\.id)) == [doc.id])
        await t.destroy()
    }

    @Test func changeLogIsTrimmedOnlyPastEveryConsumer() async throws {
        let t = try TestDatabase(schema: [Self.notes], shards: 1) { o in o.changeLogRetention = 10 }
        let shard = t.db.shards[0]
        try await shard.write { scope in try scope.changeLog.acknowledge("slow", through: 5, in: scope.transaction) }
        for i in 0..<60 { try await t.db.insert("notes", ["space": "t", "n": .int(Int64(i))]) }
        let tail = try shard.read { try $0.changeLog.tail(in: $0.transaction) }
        #expect(tail == 6)  // kept for the consumer that is at 5
        try await shard.write { scope in try scope.changeLog.acknowledge("slow", through: 60, in: scope.transaction) }
        for i in 0..<5 { try await t.db.insert("notes", ["space": "t", "n": .int(Int64(100 + i))]) }
        let later = try shard.read { ($0.changeLog, $0.transaction) }.0
        let (newTail, head) = try shard.read { (try later.tail(in: $0.transaction), try later.head(in: $0.transaction)) }
        #expect(head == 65)
        #expect(newTail > 6 && head - newTail < 60)
        await t.destroy()
    }

    @Test func aZeroLimitReturnsAnEmptyPage() async throws {
        let t = try TestDatabase(schema: [Self.notes], shards: 2)
        for i in 0..<3 { try await t.db.insert("notes", ["space": "z", "n": .int(Int64(i))]) }
        #expect(try t.db.query(Query("notes", filter: .eq("space", "z"), limit: 0)).documents.isEmpty)
        #expect(try t.db.query(Query("notes", limit: 0)).documents.isEmpty)
        await t.destroy()
    }

    @Test func aCursorOnlyResumesItsOwnQuery() async throws {
        let t = try TestDatabase(schema: [Self.notes])
        for i in 0..<5 { try await t.db.insert("notes", ["space": "q", "n": .int(Int64(i))]) }
        let page = try t.db.query(Query("notes", filter: .eq("space", "q"), limit: 2))
        let cursor = try #require(page.cursor)
        #expect { try t.db.query(Query("notes", filter: .eq("space", "other"), limit: 2, cursor: cursor)) } throws: {
            ($0 as? EngramError)?.code == .invalidCursor
        }
        #expect { try t.db.query(Query("notes", limit: 2, cursor: "garbage!")) } throws: {
            ($0 as? EngramError)?.code == .invalidCursor
        }
        await t.destroy()
    }
}

@Suite struct OnlineIndexBuildTests {
    static let plain = CollectionSchema(name: "docs", placement: .byID)
    static let indexed = CollectionSchema(
        name: "docs", placement: .byID, indexes: [.secondary("by_k", ["k"]), .secondary("by_tags", ["tags"], multiEntry: true)])
    static let changed = CollectionSchema(name: "docs", placement: .byID, indexes: [.secondary("by_k", ["k", "j"])])

    @Test func indexesAddedLaterAreBuiltChangedAndDropped() async throws {
        let t = try TestDatabase(schema: [Self.plain], shards: 2)
        for i in 0..<2000 {
            try await t.db.insert("docs", ["k": .int(Int64(i % 10)), "j": .int(Int64(i)), "tags": [.string("t\(i % 3)")]])
        }
        await t.db.close()

        var options = StorageOptions()
        options.buildIndexesInBackground = false
        let db = try Database.open(at: t.path, schema: [Self.indexed], options: options)
        #expect(db.shards.allSatisfy { try! $0.collection("docs").slot(named: "by_k")!.isReady == false })
        // Writes while the index builds stay exact.
        async let build: Void = db.buildIndexes()
        for i in 0..<100 { try await db.insert("docs", ["k": 3, "j": .int(Int64(10_000 + i))]) }
        try await build
        #expect(db.shards.allSatisfy { try! $0.collection("docs").slot(named: "by_k")!.isReady })
        #expect(try db.count(Query("docs", filter: .eq("k", 3), index: .named("by_k"))) == 300)
        #expect(try db.count(Query("docs", filter: .contains("tags", "t1"), index: .named("by_tags"))) == 667)
        #expect(try db.check() == [])
        await db.close()

        let db2 = try Database.open(at: t.path, schema: [Self.changed], options: options)
        try await db2.buildIndexes()
        #expect(try db2.count(Query("docs", filter: .and([.eq("k", 3), .lt("j", 1000)]), index: .named("by_k"))) == 100)
        #expect(try db2.shards[0].collection("docs").slot(named: "by_tags") == nil)
        #expect(try db2.check() == [])
        await db2.close()
        try? FileManager.default.removeItem(atPath: t.path)
    }
}
