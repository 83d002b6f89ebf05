import EngramClient
import EngramCore
import EngramProtocol
import EngramServer
import EngramStorage
import Foundation
import Synchronization
import Testing

@Suite("Server")
struct ServerTests {
    @Test func callsRoundTripThroughTheSwiftClient() async throws {
        let t = try await TestServer.start()
        let client = try await t.client(poolSize: 3)
        try await client.ping()
        var ids: [String] = []
        for n in 0..<10 {
            guard case .string(let id) = try await client.call("test:put", ["n": .int(Int64(n))]) else {
                Issue.record("test:put returned no id")
                continue
            }
            ids.append(id)
        }
        for (n, id) in ids.enumerated() {
            let doc = try await client.call("test:get", ["id": .string(id)])
            #expect(doc["n"] == .double(Double(n)))
            #expect(doc["_id"] == .string(id))
        }
        let echoed = try await client.call("probe:echo", ["value": ["v": .vector([1.5, -2])]])
        #expect(echoed == ["v": .vector([1.5, -2])])
        #expect(await errorCode { _ = try await client.call("nope:nothing") } == "FUNCTION_NOT_FOUND")
        #expect(await errorCode { _ = try await client.query("SELECT 1") } == "NOT_IMPLEMENTED")
        await client.close()
        await t.stop()
    }

    @Test(arguments: [true, false])
    func pipelinedAnswersArriveOutOfOrder(startCallsOnEventLoop: Bool) async throws {
        let t = try await TestServer.start { $0.limits.startCallsOnEventLoop = startCallsOnEventLoop }
        let connection = try await EngramConnection.connect(to: t.endpoint)
        let order = Locked<[String]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await connection.call("probe:sleep", ["ms": 300])
                order.withLock { $0.append("slow") }
            }
            try await Task.sleep(for: .milliseconds(20))  // the slow request goes first
            for i in 0..<20 {
                group.addTask {
                    let echoed = try await connection.call("probe:echo", ["value": .int(Int64(i))])
                    #expect(echoed == .int(Int64(i)))
                    order.withLock { $0.append("fast") }
                }
            }
            try await group.waitForAll()
        }
        #expect(order.withLock { $0.count } == 21)
        #expect(order.withLock { $0.last } == "slow")
        await connection.close()
        await t.stop()
    }
}
