import EngramCore
import EngramStorage
import EngramTestSupport
import EngramVector
import Foundation
import Testing

/// `engram crash-writer --mode vectors` inserts, moves and deletes embeddings from
/// several tasks while the graph is linked and repaired in the background; it is
/// killed with SIGKILL at random moments, over and over, on the same database.
/// Afterwards the graph must agree with the documents (`engram check`) and every
/// acknowledged write must be there.
@Suite(.serialized) struct VectorCrashTests {
    @Test func graphAgreesWithDocumentsAfterSigkill() async throws {
        let dir = NSTemporaryDirectory() + "engram-vector-crash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var inserted = Set<String>(), deleted = Set<String>(), deleting = Set<String>()
        for _ in 0..<15 {
            let child = try LineCollectingProcess(["crash-writer", "--data", dir, "--writers", "6", "--shards", "2", "--mode", "vectors"])
            #expect(child.wait(for: "READY", seconds: 60), "the writer did not start")
            usleep(UInt32.random(in: 50_000...400_000))
            for line in child.kill() {
                let parts = line.split(separator: " ")
                guard parts.count == 3 else { continue }
                switch parts[0] {
                case "I": inserted.insert(String(parts[1]))
                case "d": deleting.insert(String(parts[1]))
                case "D": deleted.insert(String(parts[1]))
                default: break
                }
            }
        }
        #expect(inserted.count > 200)

        let cli = try EngramBinary.run(["check", dir])
        #expect(cli.status == 0, "engram check: \(cli.out) \(cli.err)")

        var options = StorageOptions()
        options.indexFactories = [VectorIndex.factory]
        let db = try Database.open(at: dir, schema: nil, options: options)
        for text in inserted.subtracting(deleted).subtracting(deleting) {
            #expect(try db.get("embeddings", try DocumentID(text)) != nil, "acknowledged embedding \(text) is missing")
        }
        for text in deleted {
            #expect(try db.get("embeddings", try DocumentID(text)) == nil, "deleted embedding \(text) is back")
        }
        // Every stored embedding is found by an exact search of its space.
        for space in ["s0", "s1"] {
            let docs = try db.queryAll(Query("embeddings", filter: .compare("space", .equal, .string(space))))
            guard let probe = docs.first?.fields["v"]?.vectorValue else { continue }
            let hits = try db.vectorSearch(
                VectorQuery(collection: "embeddings", index: "by_v", vector: probe, limit: 100_000, partition: [.string(space)], exact: true))
            #expect(Set(hits.map(\.document.id)) == Set(docs.map(\.id)))
        }
        try await db.settleVectorIndexes()
        #expect(try db.check() == [])
        await db.close()
    }
}
