// Test support shared by the test targets that drive the `engram` executable.
import Foundation

/// Launches `process`, one launch at a time across the whole test run: Foundation's
/// `Process.run()` on Linux is not safe to call from several threads at once (it has
/// crashed test runs that start children from parallel suites), so every test that
/// starts a child goes through here. A process without an explicit environment gets
/// a copy of this test run's, taken once: `run()` otherwise re-reads the live
/// environment on every launch, and one run crashed inside `run()` even when launches
/// were serialised.
public func launchSerially(_ process: Process) throws {
    launchLock.lock()
    defer { launchLock.unlock() }
    if process.environment == nil { process.environment = launchEnvironment }
    try process.run()
}

private let launchLock = NSLock()
/// The environment children inherit, read once, on first use.
private let launchEnvironment = ProcessInfo.processInfo.environment

/// The built `engram` executable, next to the test bundle (or `ENGRAM_BINARY`).
public enum EngramBinary {
    public static var path: String {
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
    public static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try launchSerially(p)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

/// A child process whose standard output goes to a temporary file, read back line by line.
///
/// A file rather than a pipe with an asynchronous reader: Foundation's readability
/// handlers have crashed test runs that drive several children at once.
public final class LineCollectingProcess: @unchecked Sendable {
    public let process = Process()
    private let outputPath = NSTemporaryDirectory() + "engram-child-\(UUID().uuidString).out"

    public init(_ arguments: [String]) throws {
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        guard let output = FileHandle(forWritingAtPath: outputPath) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: outputPath])
        }
        process.executableURL = URL(fileURLWithPath: EngramBinary.path)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try launchSerially(process)
        try output.close()
    }

    deinit { try? FileManager.default.removeItem(atPath: outputPath) }

    /// Complete lines written so far.
    public var received: [String] {
        guard let data = FileManager.default.contents(atPath: outputPath), let end = data.lastIndex(of: 0x0a) else { return [] }
        return data[data.startIndex..<end].split(separator: 0x0a, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Waits until a line equal to `line` arrives (or `seconds` pass); returns whether it did.
    public func wait(for line: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if received.contains(line) { return true }
            usleep(5_000)
        }
        return false
    }

    /// Kills the process with SIGKILL and waits for it; returns every complete line it printed.
    public func kill() -> [String] {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return received
    }
}
