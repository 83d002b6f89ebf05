import Foundation

/// The built `engram` executable, next to the test bundle (or `ENGRAM_BINARY`).
enum EngramBinary {
    static var path: String {
        if let p = ProcessInfo.processInfo.environment["ENGRAM_BINARY"] { return p }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = bundle.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("engram").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return bundle.deletingLastPathComponent().appendingPathComponent("engram").path
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

/// A child process whose standard output is collected line by line as it arrives.
final class LineCollectingProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private var lines: [String] = []

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: EngramBinary.path)
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

    /// Lines received so far.
    var received: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    /// Waits until a line equal to `line` arrives (or `seconds` pass); returns whether it did.
    func wait(for line: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if received.contains(line) { return true }
            usleep(5_000)
        }
        return false
    }

    /// Kills the process with SIGKILL and waits for it; returns every complete line it printed.
    func kill() -> [String] {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        usleep(20_000)  // let the last pipe reads land
        return received
    }
}
