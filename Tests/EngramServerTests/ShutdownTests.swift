import EngramClient
import EngramCore
import EngramServer
import EngramStorage
import Foundation
import Synchronization
import Testing

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test func shutdownUnderLoadLosesNoAcknowledgedWrite() async throws {
        let t = try await TestServer.start()
        let client = try await t.client(poolSize: 4)
        let acknowledged = Locked<[String: Int64]>([:])
        let refused = Locked<Int>(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<16 {
                group.addTask {
                    for k in 0..<2_000 {
                        let n = Int64(w * 100_000 + k)
                        do {
                            guard case .string(let id) = try await client.call("test:put", ["n": .int(n)]) else { return }
                            acknowledged.withLock { $0[id] = n }
                        } catch {
                            refused.withLock { $0 += 1 }
                            return
                        }
                    }
                }
            }
            while acknowledged.withLock({ $0.count }) < 200 { try await Task.sleep(for: .milliseconds(5)) }
            await t.server.shutdown()
            try await group.waitForAll()
        }
        await client.close()
        let acked = acknowledged.withLock { $0 }
        #expect(refused.withLock { $0 } > 0)  // the shutdown cut in while writers were busy
        let db = try Database.open(at: t.directory, schema: [TestServer.items], options: StorageOptions())
        for (id, n) in acked {
            let doc = try db.get(TestServer.items.name, try DocumentID(id))
            #expect(doc?.fields["n"] == .double(Double(n)), "acknowledged write \(id) is missing")
        }
        #expect(try db.check().isEmpty)
        await db.close()
        try? FileManager.default.removeItem(atPath: t.directory)
    }
}
