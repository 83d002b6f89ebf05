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
    @Option(help: "What to write: \"items\" (secondary indexes, versions), \"text\" (a text index) or \"vectors\" (a vector index).")
    var mode = "items"

    /// The collection the crash tests write.
    static let schema = CollectionSchema(
        name: "items", placement: .byID,
        indexes: [
            .secondary("by_group", ["group"]),
            .secondary("by_group_n", ["group", "n"]),
            .secondary("by_tags", ["tags"], multiEntry: true),
        ],
        versions: .last(3))

    /// The collection of the text mode: notes with a text index filtered by space.
    static let notes = CollectionSchema(
        name: "notes", placement: .shardKey("space"),
        indexes: [TextIndex.definition("by_body", text: "body", filters: ["space", "kind"], tokenizer: .english)])

    /// The collection of the vector mode: 16-d embeddings partitioned by space, with a
    /// graph from 200 vectors on, so crashes hit linking and repair as well as writes.
    static let embeddings = CollectionSchema(
        name: "embeddings", placement: .shardKey("space"),
        indexes: [
            .vector(
                "by_v", field: "v", filters: ["kind"],
                options: {
                    var o = VectorIndexOptions()
                    o.partition = ["space"]
                    o.exactThreshold = 200
                    return o
                }())
        ])

    func run() async throws {
        var options = StorageOptions()
        options.shardCount = shards
        if mode == "vectors" {
            options.indexFactories = [VectorIndex.factory]
            let db = try Database.open(at: data, schema: [Self.embeddings], options: options)
            Self.emit("READY")
            try await writeVectors(db)
            return
        }
        if mode == "text" {
            options.indexFactories = [TextIndex.factory]
            let db = try Database.open(at: data, schema: [Self.notes], options: options)
            Self.emit("READY")
            try await writeText(db)
            return
        }
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

    /// Text mode: notes with a text that `churn` rewrites.
    private func writeText(_ db: Database) async throws {
        let words = "alpha beta gamma delta running runner runs café naïve 東京 данные сеть quick brown fox".split(separator: " ")
        @Sendable func body(_ k: Int) -> Value {
            .string((0..<(3 + k % 9)).map { i in String(words[(k * 7 + i * 3) % words.count]) }.joined(separator: " "))
        }
        try await churn(
            db, "notes", deleteEvery: 7, rewriteEvery: 3,
            fields: { w, k in ["space": .string("s\(w % 3)"), "kind": .int(Int64(k % 3)), "body": body(k)] },
            rewrite: { k in ["body": body(k), "kind": .int(Int64(k % 3))] })
    }

    /// Vector mode: embeddings that `churn` moves to new random vectors.
    private func writeVectors(_ db: Database) async throws {
        @Sendable func vector() -> Value { .vector((0..<16).map { _ in Float.random(in: -1...1) }) }
        try await churn(
            db, "embeddings", deleteEvery: 5, rewriteEvery: 4,
            fields: { w, k in ["space": .string("s\(w % 2)"), "kind": .int(Int64(k % 3)), "v": vector()] },
            rewrite: { k in ["kind": .int(Int64(k % 3)), "v": vector()] })
    }

    /// Each writer inserts documents of `collection` (`I <id> <k>`), rewrites some of
    /// its own (`R <id> <k>`) and deletes some, forever. A delete is announced before it
    /// starts (`d <id> 0`) and reported once acknowledged (`D <id> 0`): a document with
    /// an announced but unreported delete may or may not be gone after a kill.
    private func churn(
        _ db: Database, _ collection: String, deleteEvery: Int, rewriteEvery: Int,
        fields: @escaping @Sendable (_ writer: Int, _ k: Int) -> ValueMap, rewrite: @escaping @Sendable (_ k: Int) -> ValueMap
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    var k = 0
                    var mine: [DocumentID] = []
                    while true {
                        k += 1
                        if k % deleteEvery == 0, !mine.isEmpty {
                            let target = mine.remove(at: k % mine.count)
                            Self.emit("d \(target) 0")
                            try await db.delete(collection, target)
                            Self.emit("D \(target) 0")
                        } else if k % rewriteEvery == 0, let target = mine.randomElement() {
                            try await db.patch(collection, target, Patch(set: rewrite(k)))
                            Self.emit("R \(target) \(k)")
                        } else {
                            let doc = try await db.insert(collection, fields(w, k))
                            mine.append(doc.id)
                            Self.emit("I \(doc.id) \(k)")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Writes one line straight to standard output (unbuffered, so a kill loses nothing printed).
    private static func emit(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }
}
