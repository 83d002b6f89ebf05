import EngramCore
import EngramStorage
import EngramTestSupport
import Foundation
import Testing

/// A child process writes and reports each acknowledged write; it is killed with
/// SIGKILL at random moments, over and over, on the same database. Every
/// acknowledged write must survive, and every index must agree with the documents.
@Suite(.serialized) struct CrashTests {
    static let items = CollectionSchema(
        name: "items", placement: .byID,
        indexes: [
            .secondary("by_group", ["group"]),
            .secondary("by_group_n", ["group", "n"]),
            .secondary("by_tags", ["tags"], multiEntry: true),
        ],
        versions: .last(3))

    @Test func acknowledgedWritesSurviveSigkill() async throws {
        let dir = NSTemporaryDirectory() + "engram-crash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var lastAcked: [String: Int64] = [:]  // id → highest acknowledged n
        var rounds = 0
        var acknowledged = 0
        while rounds < 24 {
            let child = try LineCollectingProcess(["crash-writer", "--data", dir, "--writers", "8", "--shards", "2"])
            #expect(child.wait(for: "READY", seconds: 60), "the writer did not start")
            usleep(UInt32.random(in: 20_000...400_000))
            for line in child.kill() {
                let parts = line.split(separator: " ")
                guard parts.count == 3, let n = Int64(parts[2]) else { continue }
                acknowledged += 1
                lastAcked[String(parts[1])] = max(lastAcked[String(parts[1])] ?? .min, n)
            }
            rounds += 1
        }
        #expect(acknowledged > 0)

        let db = try Database.open(at: dir, schema: [Self.items])
        for (text, n) in lastAcked {
            let doc = try db.get("items", try DocumentID(text))
            #expect(doc != nil, "acknowledged document \(text) is missing")
            // A later, unacknowledged write may have landed too; never an older one.
            #expect((doc?.fields["n"]?.int64Value ?? .min) >= n, "document \(text) lost an acknowledged patch")
        }
        #expect(try db.check() == [])
        await db.close()
        let cli = try EngramBinary.run(["check", dir])
        #expect(cli.status == 0, "engram check: \(cli.out) \(cli.err)")
    }
}
