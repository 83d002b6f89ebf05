import EngramCore
import EngramStorage
import EngramTestSupport
import EngramText
import Foundation
import Testing

/// `engram crash-writer --mode text` inserts, rewrites and deletes notes with a text
/// index from several tasks; it is killed with SIGKILL at random moments, over and over,
/// on the same database. Afterwards the text index must agree with the documents and
/// every acknowledged write must be there. A delete the writer announced but did not
/// report may have committed before the kill, so such a note may be either way.
@Suite(.serialized) struct TextCrashTests {
    @Test func textIndexAgreesWithDocumentsAfterSigkill() async throws {
        let dir = NSTemporaryDirectory() + "engram-text-crash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var inserted = Set<String>(), deleted = Set<String>(), deleting = Set<String>()
        var rounds = 0
        while rounds < 20 {
            let child = try LineCollectingProcess(["crash-writer", "--data", dir, "--writers", "6", "--shards", "2", "--mode", "text"])
            #expect(child.wait(for: "READY", seconds: 60), "the writer did not start")
            usleep(UInt32.random(in: 20_000...300_000))
            for line in child.kill() {
                let parts = line.split(separator: " ")
                guard parts.count == 3 else { continue }
                if parts[0] == "I" { inserted.insert(String(parts[1])) }
                if parts[0] == "d" { deleting.insert(String(parts[1])) }
                if parts[0] == "D" { deleted.insert(String(parts[1])) }
            }
            rounds += 1
        }
        #expect(!inserted.isEmpty)

        var options = StorageOptions()
        options.indexFactories = [TextIndex.factory]
        let schema = CollectionSchema(
            name: "notes", placement: .shardKey("space"),
            indexes: [TextIndex.definition("by_body", text: "body", filters: ["space", "kind"], tokenizer: .english)])
        let db = try Database.open(at: dir, schema: [schema], options: options)
        for text in inserted.subtracting(deleted).subtracting(deleting) {
            #expect(try db.get("notes", try DocumentID(text)) != nil, "acknowledged note \(text) is missing")
        }
        for text in deleted {
            #expect(try db.get("notes", try DocumentID(text)) == nil, "deleted note \(text) is back")
        }
        #expect(try db.check() == [])
        let all = try db.queryAll(Query("notes"))
        let hits = try db.textSearch(TextQuery(collection: "notes", index: "by_body", text: "alpha beta gamma delta run quick brown fox café naïve 東京 данные сеть", limit: 10_000))
        #expect(hits.count == all.count)  // every note holds at least three of these words
        await db.close()
        let cli = try EngramBinary.run(["check", dir])
        #expect(cli.status == 0, "engram check: \(cli.out) \(cli.err)")
    }
}
