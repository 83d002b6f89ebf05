import EngramClient
import EngramCore
import Foundation
import Synchronization
import Testing
import EngramTestSupport

/// Drives a real `engram serve` process: SIGTERM under load must lose no acknowledged
/// write, and the process must exit 0 after closing the database cleanly.
@Suite("engram serve process")
struct ServeProcessTests {
    static func binary() throws -> String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("engram").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fallback = root.appendingPathComponent(".build/debug/engram").path
        guard FileManager.default.isExecutableFile(atPath: fallback) else {
            throw EngramError(.internal, "cannot find the engram executable near \(here.path)")
        }
        return fallback
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    @Test func sigtermUnderLoadLosesNoAcknowledgedWrite() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-serve-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binary())
        process.arguments = ["serve", "--data", dir, "--port", "\(port)", "--no-admin", "--shards", "2", "--probe-functions", "--log-level", "error"]
        try launchSerially(process)
        var client: EngramClient?
        for _ in 0..<600 where client == nil {
            client = try? await EngramClient.connect(to: EngramEndpoint(port: port), poolSize: 4)
            if client == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let client else {
            process.terminate()
            Issue.record("the server did not start")
            return
        }
        let acknowledged = Locked<[String]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<16 {
                group.addTask {
                    for k in 0..<5_000 {
                        do {
                            let r = try await client.call("probe:put", ["value": .int(Int64(w * 100_000 + k))])
                            guard case .string(let id)? = r["id"] else { return }
                            acknowledged.withLock { $0.append(id) }
                        } catch {
                            return
                        }
                    }
                }
            }
            while acknowledged.withLock({ $0.count }) < 300 { try await Task.sleep(for: .milliseconds(5)) }
            kill(process.processIdentifier, SIGTERM)
            try await group.waitForAll()
        }
        await client.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        // Reopen through a fresh server and read every acknowledged document back.
        let reader = Process()
        reader.executableURL = process.executableURL
        reader.arguments = ["serve", "--data", dir, "--port", "\(port)", "--no-admin", "--probe-functions", "--log-level", "error"]
        try launchSerially(reader)
        defer {
            reader.terminate()
            reader.waitUntilExit()
        }
        var check: EngramClient?
        for _ in 0..<600 where check == nil {
            check = try? await EngramClient.connect(to: EngramEndpoint(port: port))
            if check == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let check else {
            Issue.record("the server did not restart")
            return
        }
        let ids = acknowledged.withLock { $0 }
        #expect(ids.count >= 300)
        var missing = 0
        for id in ids where try await check.call("probe:get", ["id": .string(id)]) == .null { missing += 1 }
        #expect(missing == 0, "\(missing) of \(ids.count) acknowledged writes are missing")
        await check.close()
    }
}

/// A value shared between test tasks.
final class Locked<T: Sendable>: Sendable {
    private let mutex: Mutex<T>
    init(_ value: T) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout T) -> R) -> R { mutex.withLock { body(&$0) } }
}
