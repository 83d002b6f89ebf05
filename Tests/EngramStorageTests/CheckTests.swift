import EngramCore
@testable import EngramStorage
import EngramTestSupport
import Foundation
import Testing

/// `Database.check()` and `engram check` against damage done behind the engine's back:
/// every disagreement between documents, secondary indexes and version records is
/// reported, and the command exits 1.
@Suite struct CheckTests {
    @Test func checkReportsDamagedIndexesAndVersionsAndTheCommandFails() async throws {
        let path = NSTemporaryDirectory() + "engram-check-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = StorageOptions()
        options.shardCount = 1
        options.environment.durable = false
        let db = try Database.open(at: path, schema: [DatabaseTests.people], options: options)
        let a = try await db.insert("people", ["team": "red", "age": 30])
        try await db.patch("people", a.id, Patch([.set("age", 31)]))  // a prior version of a
        let b = try await db.insert("people", ["team": "blue", "age": 40])
        #expect(try db.check() == [])

        let shard = db.shards[0]
        let store = try shard.collection("people")
        guard let byTeam = store.slot(named: "by_team")?.index as? SecondaryIndex else {
            Issue.record("people has no secondary index by_team")
            return
        }
        try await shard.write { scope in
            let txn = scope.transaction
            // b loses its by_team entry.
            let cursor = try txn.cursor(byTeam.database)
            var entry = try cursor.first()
            while let e = entry, !e.key.suffix(DocumentID.byteCount).elementsEqual(b.id.bytes) { entry = try cursor.next() }
            #expect(entry != nil)
            try cursor.deleteCurrent()
            // a's record goes, leaving its index entries and its version record behind.
            #expect(try txn.delete(store.documents, a.id.bytes))
        }
        let problems = try db.check()
        #expect(problems.contains("shard 0: people: index 'by_team': missing entry for document \(b.id)"))
        #expect(problems.contains("shard 0: people: index 'by_team': entry for missing document \(a.id)"))
        #expect(problems.contains("shard 0: people: versions: history kept for missing document \(a.id)"))
        await db.close()

        let cli = try EngramBinary.run(["check", path])
        #expect(cli.status == 1, "engram check: \(cli.out) \(cli.err)")
        #expect((cli.out + cli.err).contains("missing entry for document \(b.id)"))
    }
}
