import EngramClient
import EngramCore
import EngramServer
import Foundation
import Testing

@Suite("Auth and limits")
struct LimitsTests {
    @Test func anOpenServerRefusesANonLoopbackAddress() async throws {
        await #expect(throws: EngramError.self) {
            let t = try await TestServer.start { $0.host = "0.0.0.0" }
            await t.stop()
        }
    }

    @Test func aServerWithKeysMayListenAnywhere() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-keys-\(UUID().uuidString)").path
        let first = try await TestServer.start(directory: dir)
        let admin = try await first.client()
        let created = try await admin.call(ApiKeyStore.createFunction, ["role": "admin"])
        await admin.close()
        await first.server.shutdown()
        let second = try await TestServer.start(directory: dir) { $0.host = "0.0.0.0" }
        #expect(await errorCode { _ = try await second.client() } == "UNAUTHENTICATED")
        let client = try await second.client(key: created["key"]?.stringValue)
        #expect(client.connection.role == "admin")
        await client.close()
        await second.stop()
    }

    @Test func theTokenBucketAnswersRateLimited() async throws {
        let t = try await TestServer.start {
            $0.limits.rateLimitPerSecond = 0.001
            $0.limits.rateLimitBurst = 3
        }
        let client = try await t.client()
        for _ in 0..<3 { _ = try await client.call("probe:echo", ["value": 1]) }
        #expect(await errorCode { _ = try await client.call("probe:echo", ["value": 1]) } == "RATE_LIMITED")
        try await client.ping()  // pings are not rate limited
        await client.close()
        await t.stop()
    }

    @Test func aSlowRequestHitsItsDeadline() async throws {
        let t = try await TestServer.start { $0.limits.requestTimeoutMilliseconds = 5_000 }
        let client = try await t.client()
        #expect(await errorCode { _ = try await client.call("probe:sleep", ["ms": 2_000], timeoutMs: 50) } == "DEADLINE_EXCEEDED")
        #expect(try await client.call("probe:echo", ["value": "after"]) == "after")
        await client.close()
        await t.stop()
    }

    @Test func theConnectionLimitRefusesTheNextConnection() async throws {
        let t = try await TestServer.start { $0.limits.maxConnections = 1 }
        let first = try await t.client()
        #expect(await errorCode { _ = try await t.client() } == "TOO_MANY_CONNECTIONS")
        try await first.ping()
        await first.close()
        await t.stop()
    }

    @Test func anOversizeFrameClosesOnlyItsConnection() async throws {
        let t = try await TestServer.start { $0.limits.maxFrameBytes = 1024 }
        let other = try await t.client()
        let victim = try await t.client()
        #expect(
            await errorCode { _ = try await victim.call("probe:echo", ["value": .string(String(repeating: "x", count: 2048))]) }
                == "FRAME_TOO_LARGE")
        #expect(await errorCode { try await victim.ping() } != nil)
        #expect(try await other.call("probe:echo", ["value": 1]) == 1)
        await other.close()
        await victim.close()
        await t.stop()
    }

    @Test func metricsCountRequestsErrorsAndCommits() async throws {
        let t = try await TestServer.start()
        let client = try await t.client()
        _ = try await client.call("test:put", ["n": 1])
        _ = await errorCode { _ = try await client.call("probe:fail", ["code": "COUNTED_ERROR"]) }
        await client.close()
        let text = String(decoding: t.server.metrics.render(database: t.server.database), as: UTF8.self)
        #expect(text.contains("engram_requests_total{function=\"test:put\"} 1"))
        #expect(text.contains("engram_errors_total{code=\"COUNTED_ERROR\"} 1"))
        #expect(text.contains("engram_commit_batch_requests_count"))
        #expect(text.contains("engram_shard_used_bytes{shard=\"0\"}"))
        await t.stop()
    }
}

@Suite("Backpressure")
struct BackpressureTests {
    @Test func aConnectionOverItsInFlightLimitIsThrottledNotFailed() async throws {
        let t = try await TestServer.start { $0.limits.maxInFlightPerConnection = 2 }
        let connection = try await EngramConnection.connect(to: t.endpoint)
        try await withThrowingTaskGroup(of: Value.self) { group in
            for i in 0..<40 {
                group.addTask { try await connection.call(i % 4 == 0 ? "probe:sleep" : "probe:echo", i % 4 == 0 ? ["ms": 20] : ["value": .int(Int64(i))]) }
            }
            var answered = 0
            for try await _ in group { answered += 1 }
            #expect(answered == 40)
        }
        await connection.close()
        await t.stop()
    }
}
