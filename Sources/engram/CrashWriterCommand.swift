import ArgumentParser
import Engram

#if canImport(Glibc)
import Glibc
#endif

/// `engram crash-writer` (hidden): the child process of the crash tests.
///
/// Writes to a test collection from several concurrent tasks and prints one line per
/// acknowledged write, flushed at once: `I <id> <n>` for an insert of `n`,
/// `P <id> <n>` for a patch that set `n`. A test kills it with SIGKILL at a random
/// moment and checks that every acknowledged write survived.
struct CrashWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-writer", abstract: "Test helper: write and report acknowledged writes.", shouldDisplay: false)

    @Option(help: "Database directory.") var data: String
    @Option(help: "Concurrent writers.") var writers: Int = 8
    @Option(help: "Shards.") var shards: Int = 2

    /// The collection the crash tests write.
    static let schema = CollectionSchema(
        name: "items", placement: .byID,
        indexes: [
            .secondary("by_group", ["group"]),
            .secondary("by_group_n", ["group", "n"]),
            .secondary("by_tags", ["tags"], multiEntry: true),
        ],
        versions: .last(3))

    func run() async throws {
        var options = StorageOptions()
        options.shardCount = shards
        let db = try Database.open(at: data, schema: [Self.schema], options: options)
        Self.emit("READY")
        await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    var k = 0
                    var mine: [DocumentID] = []
                    while true {
                        k += 1
                        let n = Int64(w * 1_000_000 + k)
                        if k % 3 == 0, let target = mine.randomElement() {
                            let patched = try await db.patch("items", target, Patch(set: ["n": .int(n)]))
                            Self.emit("P \(patched.id) \(n)")
                        } else {
                            let doc = try await db.insert(
                                "items",
                                ["group": .string("g\(k % 5)"), "n": .int(n), "tags": [.string("t\(k % 3)"), .string("t\(k % 7)")],
                                 "payload": .string(String(repeating: "x", count: 200))])
                            mine.append(doc.id)
                            Self.emit("I \(doc.id) \(n)")
                        }
                    }
                }
            }
        }
    }

    /// Writes one line straight to standard output (unbuffered, so a kill loses nothing printed).
    private static func emit(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }
}
