import EngramCore
import EngramFunctions
import Testing

/// `agents`: the agent registry.
@Suite struct AgentsTests {
    func register(_ h: CatalogueHarness, _ id: String, at now: UInt64, _ extra: ValueMap = [:]) async throws {
        h.fixedNow = now
        var args: ValueMap = ["agentId": .string(id), "name": .string(id.uppercased())]
        for (k, v) in extra { args[k] = v }
        try await h.call("agents:register", args)
    }

    @Test func registerStoresTheContractFields() async throws {
        try await withCatalogue { h in
            h.fixedNow = 5
            let a = try await h.call("agents:register", ["agentId": "a", "name": "A"])
            #expect(a.keyList == ["_id", "_creationTime", "agentId", "name", "metadata", "config", "status", "registeredAt", "updatedAt"])
            #expect(a["metadata"] == .map([:]))
            #expect(a["config"] == .map([:]))
            #expect(a["status"] == "active")
            #expect(a["registeredAt"] == 5.0)
            #expect(a["updatedAt"] == 5.0)
            let b = try await h.call(
                "agents:register", ["agentId": "b", "name": "B", "description": "d", "metadata": ["team": "x"], "config": 0])
            #expect(b["description"] == "d")
            #expect(b["metadata"] == ["team": "x"])
            #expect(b["config"] == .map([:]))
            #expect(await h.errorCode("agents:register", ["agentId": "a", "name": "again"]) == "AGENT_ALREADY_REGISTERED")
            #expect(await h.errorCode("agents:register", ["agentId": "c"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("agents:register", ["agentId": "c", "name": "C", "status": "active"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("agents:register", ["agentId": "c", "name": "C", "tenantId": "t"]) == "ARGUMENT_VALIDATION_ERROR")
            let c = try await h.call("agents:register", ["agentId": "c", "name": "C", "description": nil])
            #expect(c["description"] == nil)
        }
    }

    @Test func getExistsAndCount() async throws {
        try await withCatalogue { h in
            try await register(h, "a", at: 1)
            try await register(h, "b", at: 2)
            try await h.call("agents:update", ["agentId": "b", "status": "archived"])
            #expect(try await h.call("agents:get", ["agentId": "a"])["name"] == "A")
            #expect(try await h.call("agents:get", ["agentId": "z"]) == .null)
            #expect(try await h.call("agents:exists", ["agentId": "a"]) == true)
            #expect(try await h.call("agents:exists", ["agentId": "z"]) == false)
            #expect(try await h.call("agents:count") == 2.0)
            #expect(try await h.call("agents:count", ["status": "archived"]) == 1.0)
            #expect(try await h.call("agents:count", ["status": "inactive"]) == 0.0)
            #expect(await h.errorCode("agents:count", ["status": "gone"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("agents:get", [:]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("agents:exists", ["agentId": 1]) == "ARGUMENT_VALIDATION_ERROR")
            // The Python SDK's agents:configure does not exist on the reference backend either.
            #expect(await h.errorCode("agents:configure", ["agentId": "a", "config": [:]]) == "FUNCTION_NOT_FOUND")
        }
    }

    @Test func listIsNewestFirstWithLimitAndOffset() async throws {
        try await withCatalogue { h in
            for (i, id) in ["a", "b", "c", "d", "e"].enumerated() { try await register(h, id, at: UInt64(10 * (i + 1))) }
            try await h.call("agents:update", ["agentId": "b", "status": "inactive"])
            try await h.call("agents:update", ["agentId": "d", "status": "inactive"])
            func ids(_ args: ValueMap) async throws -> [Value?] { try await h.call("agents:list", args).items.map { $0["agentId"] } }
            #expect(try await ids([:]) == ["e", "d", "c", "b", "a"])
            #expect(try await ids(["status": "inactive"]) == ["d", "b"])
            #expect(try await ids(["limit": 2]) == ["e", "d"])
            #expect(try await ids(["offset": 1, "limit": 2]) == ["d", "c"])
            #expect(try await ids(["offset": -2]) == ["b", "a"])
            #expect(try await ids(["offset": 0, "limit": 0]).count == 5)
            #expect(try await ids(["offset": 1, "limit": -1]).isEmpty)  // slice(1, 1 + -1)
            #expect(await h.errorCode("agents:list", ["limit": -1]) == "FUNCTION_ERROR")
            #expect(await h.errorCode("agents:list", ["limit": 2.5]) == "FUNCTION_ERROR")
            #expect(await h.errorCode("agents:list", ["sort": "name"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func computeStatsSamplesByParticipantAndSpace() async throws {
        try await withCatalogue(shards: 3) { h in
            let empty = try await h.call("agents:computeStats", ["agentId": "bot"])
            #expect(empty == ["totalMemories": 0.0, "totalConversations": 0.0, "totalFacts": 0.0, "memorySpacesActive": 0.0, "isApproximate": false])
            for space in ["s1", "s2", "s2"] {
                try await h.seed("memories", ["memorySpaceId": .string(space), "participantId": "bot", "updatedAt": 50.0])
            }
            try await h.seed("memories", ["memorySpaceId": "s3", "agentId": "bot", "participantId": "other", "updatedAt": 999.0])
            try await h.seed("conversations", ["memorySpaceId": "bot", "updatedAt": 70.0])
            try await h.seed("facts", ["memorySpaceId": "s1", "participantId": "bot", "updatedAt": 60.0])
            let s = try await h.call("agents:computeStats", ["agentId": "bot"])
            #expect(s.keyList == ["totalMemories", "totalConversations", "totalFacts", "memorySpacesActive", "lastActive", "isApproximate"])
            #expect(s["totalMemories"] == 3.0)
            #expect(s["totalConversations"] == 1.0)
            #expect(s["totalFacts"] == 1.0)
            #expect(s["memorySpacesActive"] == 2.0)
            #expect(s["lastActive"] == 70.0)
            #expect(s["isApproximate"] == false)
            #expect(await h.errorCode("agents:computeStats", [:]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func updatePatchesSuppliedFields() async throws {
        try await withCatalogue { h in
            try await register(h, "a", at: 1, ["description": "old", "config": ["k": 1]])
            h.fixedNow = 9
            let touched = try await h.call("agents:update", ["agentId": "a"])
            #expect(touched["updatedAt"] == 9.0)
            #expect(touched["description"] == "old")
            let u = try await h.call(
                "agents:update", ["agentId": "a", "name": "N", "description": "new", "metadata": nil, "config": ["z": 2], "status": "archived"])
            #expect(u["name"] == "N")
            #expect(u["description"] == "new")
            #expect(u["metadata"] == .null)
            #expect(u["config"] == ["z": 2])
            #expect(u["status"] == "archived")
            #expect(u["registeredAt"] == 1.0)
            #expect(await h.errorCode("agents:update", ["agentId": "zz"]) == "AGENT_NOT_REGISTERED")
            #expect(await h.errorCode("agents:update", ["agentId": "a", "status": "deleted"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("agents:update", ["agentId": "a", "lastActive": 5]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func updateManyPatchesFoundIdsInOrder() async throws {
        try await withCatalogue { h in
            try await register(h, "a", at: 1)
            try await register(h, "b", at: 2)
            #expect(try await h.call("agents:updateMany", ["agentIds": [], "name": "x"]) == ["updated": 0.0, "agentIds": []])
            h.fixedNow = 30
            let r = try await h.call("agents:updateMany", ["agentIds": ["b", "zz", "a", "b"], "metadata": ["tier": 2]])
            #expect(r == ["updated": 3.0, "agentIds": ["b", "a", "b"]])
            #expect(try await h.call("agents:get", ["agentId": "a"])["metadata"] == ["tier": 2])
            #expect(try await h.call("agents:get", ["agentId": "a"])["updatedAt"] == 30.0)
            #expect(try await h.call("agents:get", ["agentId": "a"])["name"] == "A")
            #expect(await h.errorCode("agents:updateMany", ["agentIds": ["a"], "status": "active"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("agents:updateMany", ["name": "x"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func unregisterDeletesOneRegistration() async throws {
        try await withCatalogue { h in
            try await register(h, "a", at: 1)
            try await h.seed("memories", ["memorySpaceId": "s", "participantId": "a"])
            #expect(try await h.call("agents:unregister", ["agentId": "a"]) == ["deleted": true, "agentId": "a"])
            #expect(try h.count("memories") == 1)
            let again = await h.error("agents:unregister", ["agentId": "a"])
            #expect(again?.code.rawValue == "AGENT_NOT_REGISTERED")
            #expect(again?.message.contains("AGENT_NOT_REGISTERED") == true)
            #expect(again?.isCoded == true)
            #expect(await h.errorCode("agents:unregister", ["agentId": "a", "cascade": true]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func unregisterManyByIdsOrByStatus() async throws {
        try await withCatalogue { h in
            for (i, id) in ["a", "b", "c", "d"].enumerated() { try await register(h, id, at: UInt64(i + 1)) }
            try await h.call("agents:update", ["agentId": "c", "status": "archived"])
            try await h.call("agents:update", ["agentId": "d", "status": "archived"])
            let none = await h.error("agents:unregisterMany", ["agentIds": []])
            #expect(none?.code == .functionError)
            #expect(none?.message == "INVALID_FILTERS: Must provide agentIds or status filter")
            // Ids win over status; a duplicate is deleted once.
            let byIds = try await h.call("agents:unregisterMany", ["agentIds": ["b", "zz", "b"], "status": "archived"])
            #expect(byIds == ["deleted": 1.0, "agentIds": ["b"]])
            let byStatus = try await h.call("agents:unregisterMany", ["status": "archived"])
            #expect(byStatus == ["deleted": 2.0, "agentIds": ["c", "d"]])
            #expect(try await h.call("agents:count") == 1.0)
            #expect(await h.errorCode("agents:unregisterMany", ["status": "gone"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func purgeAllIsGated() async throws {
        try await withCatalogue(allowPurge: false) { h in
            try await register(h, "a", at: 1)
            let gated = await h.error("agents:purgeAll")
            #expect(gated?.code == .purgeDisabled)
            #expect(gated?.message == "PURGE_DISABLED_IN_PRODUCTION: purgeAll is only available in test/dev environments.")
            h.settings.allowPurge = true
            #expect(await h.errorCode("agents:purgeAll", [:], caller: Caller(tenantId: "t")) == "FORBIDDEN")
            #expect(await h.errorCode("agents:purgeAll", ["x": 1]) == "ARGUMENT_VALIDATION_ERROR")
            try await register(h, "b", at: 2)
            #expect(try await h.call("agents:purgeAll") == ["deleted": 2.0])
            #expect(try await h.call("agents:count") == 0.0)
        }
    }
}
