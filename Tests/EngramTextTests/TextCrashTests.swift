import EngramCore
import EngramStorage
import EngramText
import Foundation
import Testing

/// `engram crash-writer --mode text` inserts, rewrites and deletes notes with a text
/// index from several tasks; it is killed with SIGKILL at random moments, over and over,
/// on the same database. Afterwards the text index must agree with the documents and
/// every acknowledged write must be there.
@Suite(.serialized) struct TextCrashTests {
    @Test func textIndexAgreesWithDocumentsAfterSigkill() async throws {
        let dir = NSTemporaryDirectory() + "engram-text-crash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var inserted = Set<String>(), deleted = Set<String>()
        var rounds = 0
        while rounds < 20 {
            let child = try KilledProcess(["crash-writer", "--data", dir, "--writers", "6", "--shards", "2", "--mode", "text"])
            #expect(child.wait(for: "READY", seconds: 60), "the writer did not start")
            usleep(UInt32.random(in: 20_000...300_000))
            for line in child.kill() {
                let parts = line.split(separator: " ")
                guard parts.count == 3 else { continue }
                if parts[0] == "I" { inserted.insert(String(parts[1])) }
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
        for text in inserted.subtracting(deleted) {
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
        let cli = try EngramCLI.run(["check", dir])
        #expect(cli.status == 0, "engram check: \(cli.out) \(cli.err)")
    }
}

/// The built `engram` executable, next to the test bundle (or `ENGRAM_BINARY`).
enum EngramCLI {
    static var path: String {
        if let p = ProcessInfo.processInfo.environment["ENGRAM_BINARY"] { return p }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("engram").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("engram").path
    }

    /// Runs `engram` with `arguments` to completion; returns (status, stdout, stderr).
    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

/// A child `engram` whose standard output is collected line by line, killed with SIGKILL.
final class KilledProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private var lines: [String] = []

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: EngramCLI.path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] h in
            let chunk = h.availableData
            guard let self, !chunk.isEmpty else { return }
            self.lock.lock()
            self.buffer.append(chunk)
            while let nl = self.buffer.firstIndex(of: 0x0a) {
                self.lines.append(String(decoding: self.buffer[self.buffer.startIndex..<nl], as: UTF8.self))
                self.buffer.removeSubrange(self.buffer.startIndex...nl)
            }
            self.lock.unlock()
        }
        try process.run()
    }

    var received: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    func wait(for line: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if received.contains(line) { return true }
            usleep(5_000)
        }
        return false
    }

    func kill() -> [String] {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        usleep(20_000)
        return received
    }
}
