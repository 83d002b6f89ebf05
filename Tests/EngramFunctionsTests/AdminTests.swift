import EngramCore
import EngramFunctions
import EngramStorage
import Testing

/// `admin`: raw table maintenance.
@Suite struct AdminTests {
    func seedAgents(_ h: CatalogueHarness, _ n: Int) async throws {
        for i in 0..<n {
            h.fixedNow = UInt64(100 + i)
            try await h.call("agents:register", ["agentId": .string("a\(i)"), "name": "n"])
        }
    }

    @Test func listTableReturnsRawDocumentsOldestFirst() async throws {
        try await withCatalogue(shards: 3) { h in
            for i in 0..<5 { try await h.seed("memories", ["memorySpaceId": .string("s\(i)"), "i": .double(Double(i))], now: UInt64(10 + i)) }
            let all = try await h.call("admin:listTable", ["table": "memories"])
            #expect(all.items.map { $0["i"] } == [0.0, 1.0, 2.0, 3.0, 4.0])
            #expect(all.items.first?.keyList == ["_id", "_creationTime", "memorySpaceId", "i"])
            #expect(try await h.call("admin:listTable", ["table": "memories", "limit": 2]).items.count == 2)
            #expect(try await h.call("admin:listTable", ["table": "memories", "limit": 0]) == .array([]))
            #expect(try await h.call("admin:listTable", ["table": "memories", "limit": 5000]).items.count == 5)
            #expect(await h.error("admin:listTable", ["table": "memories", "limit": -1])?.message == "Arg 1 `n` to `take` must be a non-negative integer")
            #expect(await h.errorCode("admin:listTable", ["table": "memories", "limit": 0.5]) == "FUNCTION_ERROR")
            #expect(await h.errorCode("admin:listTable", ["table": "Memories"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("admin:listTable", ["table": "engramCascadeJobs"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("admin:listTable", ["table": "memories"], caller: Caller(tenantId: "t")) == "FORBIDDEN")
        }
    }

    @Test func deleteRecordFindsTheDocumentByItsIdAlone() async throws {
        try await withCatalogue(shards: 3) { h in
            let m = try await h.seed("memories", ["memorySpaceId": "s"])
            let id = Value.string(m.id.description)
            // The table argument is validated but ignored.
            #expect(try await h.call("admin:deleteRecord", ["table": "agents", "id": id]) == ["deleted": true])
            #expect(try h.count("memories") == 0)
            let again = await h.error("admin:deleteRecord", ["table": "memories", "id": id])
            #expect(again?.code == .functionError)
            #expect(again?.message == "Delete on nonexistent document ID \(m.id.description)")
            #expect(await h.errorCode("admin:deleteRecord", ["table": "memories", "id": "not-an-id"]) == "ARGUMENT_VALIDATION_ERROR")
            let job = try await h.db.shards[0].write { scope in
                try CascadeJobs.record(kind: "test", subject: "x", steps: [], in: scope)
            }
            #expect(
                await h.errorCode("admin:deleteRecord", ["table": "memories", "id": .string(job.id.description)]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("admin:deleteRecord", ["table": "memories", "id": id], caller: Caller(tenantId: "t")) == "FORBIDDEN")
        }
    }

    @Test func clearTableDeletesBatchesOldestFirst() async throws {
        try await withCatalogue(shards: 3) { h in
            try await seedAgents(h, 5)
            for i in 0..<4 { try await h.seed("facts", ["memorySpaceId": .string("s\(i)")], now: UInt64(i + 1)) }
            #expect(try await h.call("admin:clearTable", ["table": "agents", "limit": 2]) == ["deleted": 2.0, "hasMore": true])
            #expect(try await h.call("agents:exists", ["agentId": "a0"]) == false)
            #expect(try await h.call("agents:exists", ["agentId": "a2"]) == true)
            #expect(try await h.call("admin:clearTable", ["table": "agents", "limit": 3]) == ["deleted": 3.0, "hasMore": true])
            #expect(try await h.call("admin:clearTable", ["table": "agents"]) == ["deleted": 0.0, "hasMore": false])
            #expect(try await h.call("admin:clearTable", ["table": "agents", "limit": 0]) == ["deleted": 0.0, "hasMore": true])
            #expect(try await h.call("admin:clearTable", ["table": "facts"]) == ["deleted": 4.0, "hasMore": false])
            #expect(try h.count("facts") == 0)
            #expect(await h.errorCode("admin:clearTable", ["table": "facts", "limit": -3]) == "FUNCTION_ERROR")
            #expect(await h.errorCode("admin:clearTable", ["table": "users"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("admin:clearTable", ["limit": 1]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func clearTableIsGated() async throws {
        try await withCatalogue(allowPurge: false) { h in
            try await seedAgents(h, 1)
            let gated = await h.error("admin:clearTable", ["table": "agents"])
            #expect(gated?.code == .purgeDisabled)
            #expect(gated?.message == "PURGE_DISABLED_IN_PRODUCTION: clearTable is only available in test/dev environments.")
            #expect(try h.count("agents") == 1)
            h.settings.allowPurge = true
            #expect(await h.errorCode("admin:clearTable", ["table": "agents"], caller: Caller(tenantId: "t")) == "FORBIDDEN")
        }
    }

    @Test func countsAreCappedAndCoverExactlyTheThirteenTables() async throws {
        try await withCatalogue(shards: 2) { h in
            try await seedAgents(h, 3)
            try await h.seed("sessions", ["sessionId": "x", "userId": "u"])
            #expect(try await h.call("admin:countTable", ["table": "agents"]) == ["count": 3.0])
            #expect(try await h.call("admin:countTable", ["table": "contexts"]) == ["count": 0.0])
            #expect(await h.errorCode("admin:countTable", [:]) == "ARGUMENT_VALIDATION_ERROR")
            // A cascade job exists, but its collections are not among the counted tables.
            _ = try await h.db.shards[0].write { scope in try CascadeJobs.record(kind: "test", subject: "x", steps: [], in: scope) }
            let counts = try await h.call("admin:getAllCounts")
            #expect(counts.keyList == Tables.names)
            #expect(counts.keyList.count == 13)
            #expect(counts["agents"] == 3.0)
            #expect(counts["sessions"] == 1.0)
            #expect(counts["memories"] == 0.0)
            #expect(await h.errorCode("admin:getAllCounts", ["table": "agents"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("admin:getAllCounts", [:], caller: Caller(tenantId: "t")) == "FORBIDDEN")
        }
    }

    @Test func countTableCapsAtTenThousand() async throws {
        try await withCatalogue(shards: 1) { h in
            // Write 10,001 small documents in a few transactions.
            for batch in 0..<5 {
                try await h.db.shards[0].write { scope in
                    for i in 0..<2001 where batch * 2001 + i < 10_001 {
                        try scope.insert("graphSyncQueue", ["table": "memories", "entityId": .string("e\(i)")])
                    }
                }
            }
            #expect(try h.count("graphSyncQueue") == 10_001)
            #expect(try await h.call("admin:countTable", ["table": "graphSyncQueue"]) == ["count": 10_000.0])
            #expect(try await h.call("admin:getAllCounts")["graphSyncQueue"] == 10_000.0)
        }
    }
}
