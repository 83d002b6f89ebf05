import EngramCore
import EngramFunctions
import Testing

/// `memorySpaces` queries: get, list, count, findByParticipant, search.
@Suite struct MemorySpacesQueryTests {
    func register(_ h: CatalogueHarness, _ id: String, _ extra: ValueMap = [:], at now: UInt64) async throws {
        h.fixedNow = now
        var args: ValueMap = ["memorySpaceId": .string(id), "type": "team"]
        for (k, v) in extra { args[k] = v }
        try await h.call("memorySpaces:register", args)
    }

    @Test func getFollowsTheTenantRule() async throws {
        try await withCatalogue { h in
            try await register(h, "g", at: 1)
            try await register(h, "t", ["tenantId": "t1"], at: 2)
            try await register(h, "t", at: 3)  // newer global duplicate of a tenant's id
            #expect(try await h.call("memorySpaces:get", ["memorySpaceId": "g"])["memorySpaceId"] == "g")
            #expect(try await h.call("memorySpaces:get", ["memorySpaceId": "nope"]) == .null)
            // The oldest "t" belongs to t1, so the global lookup finds nothing.
            #expect(try await h.call("memorySpaces:get", ["memorySpaceId": "t"]) == .null)
            #expect(try await h.call("memorySpaces:get", ["memorySpaceId": "t", "tenantId": "t1"])["tenantId"] == "t1")
            #expect(try await h.call("memorySpaces:get", ["memorySpaceId": "g", "tenantId": "t1"]) == .null)
            #expect(try await h.call("memorySpaces:get", ["memorySpaceId": "g", "tenantId": ""])["memorySpaceId"] == "g")
            #expect(try await h.call("memorySpaces:get", ["memorySpaceId": "t"], caller: Caller(tenantId: "t1"))["tenantId"] == "t1")
            #expect(await h.errorCode("memorySpaces:get", [:]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memorySpaces:get", ["memorySpaceId": "g", "x": 1]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func listFiltersSortsAndPages() async throws {
        try await withCatalogue { h in
            let p: Value = [["id": "bot", "type": "tool", "joinedAt": 1]]
            try await register(h, "a", ["name": "beta", "participants": p], at: 10)
            try await register(h, "b", ["name": "Alpha", "type": "project"], at: 30)
            try await register(h, "c", ["name": "alpha", "tenantId": "t1"], at: 20)
            try await register(h, "d", at: 20)
            let all = try await h.call("memorySpaces:list")
            #expect(all.keyList == ["spaces", "total", "hasMore", "offset"])
            // Default: createdAt descending; ties keep creation order.
            #expect(all["spaces"]?.items.map { $0["memorySpaceId"] } == ["b", "c", "d", "a"])
            #expect(all["total"] == 4.0)
            #expect(all["hasMore"] == false)
            #expect(all["offset"] == 0.0)
            let byName = try await h.call("memorySpaces:list", ["sortBy": "name", "sortOrder": "asc"])
            #expect(byName["spaces"]?.items.map { $0["memorySpaceId"] } == ["d", "b", "c", "a"])  // "" < "Alpha" < "alpha" < "beta"
            let page = try await h.call("memorySpaces:list", ["sortOrder": "asc", "limit": 2, "offset": 1])
            #expect(page["spaces"]?.items.map { $0["memorySpaceId"] } == ["c", "d"])
            #expect(page["hasMore"] == true)
            #expect(page["offset"] == 1.0)
            let tail = try await h.call("memorySpaces:list", ["sortOrder": "asc", "offset": -1])
            #expect(tail["spaces"]?.items.map { $0["memorySpaceId"] } == ["b"])
            let filtered = try await h.call("memorySpaces:list", ["type": "team", "participant": "bot"])
            #expect(filtered["spaces"]?.items.map { $0["memorySpaceId"] } == ["a"])
            #expect(filtered["total"] == 1.0)
            let tenant = try await h.call("memorySpaces:list", ["tenantId": "t1"])
            #expect(tenant["spaces"]?.items.map { $0["memorySpaceId"] } == ["c"])
            let bound = try await h.call("memorySpaces:list", [:], caller: Caller(tenantId: "t1"))
            #expect(bound["total"] == 1.0)
            let noFilter = try await h.call("memorySpaces:list", ["participant": "", "tenantId": ""])
            #expect(noFilter["total"] == 4.0)
            let nulls = try await h.call("memorySpaces:list", ["limit": nil, "offset": nil, "type": nil, "sortBy": nil])
            #expect(nulls["total"] == 4.0)
            #expect(await h.errorCode("memorySpaces:list", ["sortBy": "type"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memorySpaces:list", ["limit": "10"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memorySpaces:list", ["sortOrder": "DESC"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func countSpansEveryTenant() async throws {
        try await withCatalogue { h in
            try await register(h, "a", at: 1)
            try await register(h, "b", ["tenantId": "t1", "type": "personal"], at: 2)
            try await h.call("memorySpaces:archive", ["memorySpaceId": "a"])
            #expect(try await h.call("memorySpaces:count") == 2.0)
            #expect(try await h.call("memorySpaces:count", ["type": "personal"]) == 1.0)
            #expect(try await h.call("memorySpaces:count", ["status": "archived"]) == 1.0)
            #expect(try await h.call("memorySpaces:count", ["status": "active", "type": "team"]) == 0.0)
            #expect(try await h.call("memorySpaces:count", [:], caller: Caller(tenantId: "t1")) == 1.0)
            #expect(await h.errorCode("memorySpaces:count", ["tenantId": "t1"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func findByParticipantScansAllTenantsInCreationOrder() async throws {
        try await withCatalogue { h in
            let p: (String) -> Value = { [["id": .string($0), "type": "t", "joinedAt": 1]] }
            try await register(h, "a", ["participants": p("x")], at: 1)
            try await register(h, "b", ["participants": p("y")], at: 2)
            try await register(h, "c", ["participants": p("x"), "tenantId": "t1"], at: 3)
            let found = try await h.call("memorySpaces:findByParticipant", ["participantId": "x"])
            #expect(found.items.map { $0["memorySpaceId"] } == ["a", "c"])
            #expect(try await h.call("memorySpaces:findByParticipant", ["participantId": "X"]) == .array([]))
            #expect(await h.errorCode("memorySpaces:findByParticipant", [:]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func searchMatchesNameIdAndMetadataJSON() async throws {
        try await withCatalogue { h in
            try await register(h, "alpha-1", ["name": "Support Desk"], at: 1)
            try await register(h, "beta-2", ["metadata": ["Team": "Growth"]], at: 2)
            try await register(h, "gamma-3", ["name": "", "type": "project"], at: 3)
            func ids(_ args: ValueMap) async throws -> [Value?] {
                try await h.call("memorySpaces:search", args).items.map { $0["memorySpaceId"] }
            }
            #expect(try await ids(["query": "DESK"]) == ["alpha-1"])
            #expect(try await ids(["query": "GAMMA"]) == ["gamma-3"])
            #expect(try await ids(["query": "growth"]) == ["beta-2"])
            #expect(try await ids(["query": "\"team\":"]) == ["beta-2"])  // the JSON text, key included
            #expect(try await ids(["query": ""]) == ["alpha-1", "beta-2", "gamma-3"])
            #expect(try await ids(["query": "", "limit": 2]) == ["alpha-1", "beta-2"])
            #expect(try await ids(["query": "", "type": "project"]) == ["gamma-3"])
            #expect(try await ids(["query": "a", "status": "archived"]) == [])
            #expect(await h.errorCode("memorySpaces:search", ["query": "a", "tenantId": "t"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func searchDefaultsToFiftyResults() async throws {
        try await withCatalogue(shards: 1) { h in
            for i in 0..<55 { try await register(h, "s\(i)", at: UInt64(i)) }
            #expect(try await h.call("memorySpaces:search", ["query": "s"]).items.count == 50)
            #expect(try await h.call("memorySpaces:search", ["query": "s", "limit": 0]).items.count == 50)
            #expect(try await h.call("memorySpaces:list")["hasMore"] == false)
            #expect(try await h.call("memorySpaces:list", ["limit": 54])["hasMore"] == true)
        }
    }
}
