import EngramCore
import EngramStorage
import EngramTestSupport
import Foundation
import Testing

@Suite struct EnvironmentTests {
    static let blobs = CollectionSchema(name: "blobs", placement: .byID, indexes: [.secondary("by_n", ["n"])])

    @Test func mapGrowsFromATinyStartWithoutLosingWrites() async throws {
        let t = try TestDatabase(schema: [Self.blobs], shards: 2) { o in
            o.environment.initialMapSize = 1 << 20
        }
        let payload = Value.bytes([UInt8](repeating: 0xab, count: 250_000))
        let count = 400  // 400 × 250 kB = 100 MB
        let db = t.db
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<16 {
                group.addTask {
                    for i in stride(from: w, to: count, by: 16) {
                        try await db.insert("blobs", ["n": .int(Int64(i)), "payload": payload])
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try t.db.count(Query("blobs")) == count)
        #expect(try t.db.count(Query("blobs", filter: .lt("n", 100), index: .named("by_n"))) == 100)
        for s in t.db.shards { #expect(s.environment.currentMapSize > 1 << 20) }
        let sample = try t.db.query(Query("blobs", filter: .eq("n", 399))).documents.first
        #expect(sample?.fields["payload"] == payload)
        #expect(try t.db.check() == [])
        await t.destroy()
    }

    @Test func aSecondOpenerFailsFastWithAClearError() async throws {
        let t = try TestDatabase(schema: [Self.blobs])
        #expect {
            _ = try Database.open(at: t.path, schema: [Self.blobs])
        } throws: { ($0 as? EngramError)?.code == .databaseLocked }
        // Another process, too: `engram check` must refuse at once, naming the problem.
        let result = try EngramBinary.run(["check", t.path])
        #expect(result.status != 0)
        #expect((result.out + result.err).contains("DATABASE_LOCKED"))
        #expect((result.out + result.err).contains("pid \(getpid())"))
        await t.destroy()
        // Once closed, the database opens again.
        let again = try Database.open(at: t.path, schema: [Self.blobs])
        await again.close()
    }

    @Test func shardCountIsFixedAtCreation() async throws {
        let t = try TestDatabase(schema: [Self.blobs], shards: 3)
        await t.db.close()
        var options = StorageOptions()
        options.shardCount = 4
        #expect { _ = try Database.open(at: t.path, schema: [Self.blobs], options: options) } throws: {
            ($0 as? EngramError)?.code == .schemaMismatch
        }
        let reopened = try Database.open(at: t.path, schema: [Self.blobs])
        #expect(reopened.shardCount == 3)
        await reopened.close()
        try? FileManager.default.removeItem(atPath: t.path)
    }
}
