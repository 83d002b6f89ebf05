import EngramCore
import EngramFunctions
import Testing

/// `conversations:create`, `addMessage`, `deleteConversation` and `getOrCreate`.
@Suite struct ConversationWriteTests {
    static let userAgent: Value = ["userId": "u1", "agentId": "a1"]

    static func create(_ h: CatalogueHarness, _ id: String, space: String = "s1", extra: ValueMap = [:]) async throws -> Value {
        var args: ValueMap = ["conversationId": .string(id), "memorySpaceId": .string(space), "type": "user-agent", "participants": userAgent]
        for (k, v) in extra { args[k] = v }
        return try await h.call("conversations:create", args)
    }

    @Test func createReturnsTheStoredDocumentWithExactlyTheContractKeys() async throws {
        try await CatalogueHarness.with { h in
            let c = try await Self.create(h, "c1")
            #expect(keys(c) == [
                "_id", "_creationTime", "conversationId", "memorySpaceId", "type", "participants", "messages", "messageCount",
                "metadata", "createdAt", "updatedAt",
            ])
            #expect(c["messages"] == [])
            #expect(c["messageCount"] == 0)
            #expect(c["metadata"] == .map([:]))
            #expect(c["createdAt"] == .double(Double(CatalogueHarness.now)))
            #expect(c["updatedAt"] == c["createdAt"])
            #expect(c["participants"] == Self.userAgent)
            let stored = try h.documents("conversations")
            #expect(stored.count == 1)
            #expect(stored[0].value == c)
        }
    }

    @Test func createStoresParticipantIdTenantAndTruthyMetadataOnly() async throws {
        try await CatalogueHarness.with { h in
            let c = try await Self.create(h, "c1", extra: ["participantId": "tool", "tenantId": "t1", "metadata": ["k": "v"]])
            #expect(c["participantId"] == "tool")
            #expect(c["tenantId"] == "t1")
            #expect(c["metadata"] == ["k": "v"])
            for (i, falsy) in ([nil, false, 0, ""] as [Value]).enumerated() {
                let d = try await Self.create(h, "f\(i)", extra: ["metadata": falsy])
                #expect(d["metadata"] == .map([:]))
            }
        }
    }

    @Test func createValidatesParticipantsByTypeInOrder() async throws {
        try await CatalogueHarness.with { h in
            func code(_ type: Value, _ p: Value) async -> String? {
                await h.errorCode("conversations:create", ["conversationId": "x", "memorySpaceId": "s", "type": type, "participants": p])
            }
            #expect(await code("user-agent", ["agentId": "a"]) == "user-agent conversations require userId")
            #expect(await code("user-agent", ["userId": "", "agentId": "a"]) == "user-agent conversations require userId")
            #expect(
                await code("user-agent", ["userId": "u"])
                    == "agentId is required when userId is provided. User-agent conversations require both a user and an agent participant.")
            #expect(await code("agent-agent", ["memorySpaceIds": ["s1"]]) == "agent-agent conversations require at least 2 memorySpaceIds")
            #expect(await code("agent-agent", [:]) == "agent-agent conversations require at least 2 memorySpaceIds")
            #expect(await code("agent-agent", ["memorySpaceIds": ["s1", "s1"]]) == nil)
            let e = await h.error("conversations:create", ["conversationId": "y", "memorySpaceId": "s", "type": "user-agent", "participants": [:]])
            #expect(e?.isCoded == true)
        }
    }

    @Test func createRejectsAnExistingIdInAnyShardAndTenant() async throws {
        try await CatalogueHarness.with { h in
            let (s1, s2) = h.namesInDifferentShards("space")
            _ = try await Self.create(h, "dup", space: s1, extra: ["tenantId": "t1"])
            let args: ValueMap = ["conversationId": "dup", "memorySpaceId": .string(s2), "type": "user-agent", "participants": Self.userAgent]
            #expect(await h.errorCode("conversations:create", args) == "CONVERSATION_ALREADY_EXISTS")
            #expect(await h.errorCode("conversations:create", merged(args, ["memorySpaceId": .string(s1)])) == "CONVERSATION_ALREADY_EXISTS")
            // Participant errors take precedence over the duplicate check.
            let bad = merged(args, ["participants": ["agentId": "a"]])
            #expect(await h.errorCode("conversations:create", bad) == "user-agent conversations require userId")
            #expect(try h.documents("conversations").count == 1)
        }
    }

    @Test func addMessageAppendsWithTheCallsTimestamp() async throws {
        try await CatalogueHarness.with { h in
            _ = try await Self.create(h, "c1")
            h.fixedNow = CatalogueHarness.now + 5
            let first = try await h.call("conversations:addMessage", ["conversationId": "c1", "message": ["id": "m1", "role": "user", "content": "hi"]])
            #expect(items(first["messages"]).count == 1)
            #expect(items(first["messages"])[0] == ["id": "m1", "role": "user", "content": "hi", "timestamp": .double(Double(CatalogueHarness.now + 5))])
            #expect(first["messageCount"] == 1)
            #expect(first["updatedAt"] == .double(Double(CatalogueHarness.now + 5)))
            #expect(first["createdAt"] == .double(Double(CatalogueHarness.now)))
            let second = try await h.call(
                "conversations:addMessage",
                ["conversationId": "c1", "message": ["id": "m1", "role": "agent", "content": "", "participantId": "p", "metadata": nil]])
            let last = items(second["messages"])[1]
            #expect(keys(last) == ["id", "role", "content", "timestamp", "participantId", "metadata"])
            #expect(last["metadata"] == .null)
            #expect(second["messageCount"] == 2)
            #expect(items(second["messages"])[0] == items(first["messages"])[0])
        }
    }

    @Test func addMessageToAMissingConversationFails() async throws {
        try await CatalogueHarness.with { h in
            let args: ValueMap = ["conversationId": "nope", "message": ["id": "m", "role": "user", "content": "x"]]
            #expect(await h.errorCode("conversations:addMessage", args) == "CONVERSATION_NOT_FOUND")
        }
    }

    @Test func deleteConversationReturnsFiveKeysAndIsNotIdempotent() async throws {
        try await CatalogueHarness.with { h in
            _ = try await Self.create(h, "c1")
            _ = try await h.call("conversations:addMessage", ["conversationId": "c1", "message": ["id": "m", "role": "user", "content": "x"]])
            let r = try await h.call("conversations:deleteConversation", ["conversationId": "c1"])
            #expect(r == [
                "deleted": true, "conversationId": "c1", "messagesDeleted": 1, "deletedAt": .double(Double(CatalogueHarness.now)),
                "restorable": false,
            ])
            #expect(try h.documents("conversations").isEmpty)
            #expect(await h.errorCode("conversations:deleteConversation", ["conversationId": "c1"]) == "CONVERSATION_NOT_FOUND")
        }
    }

    @Test func getOrCreateReturnsTheOldestMatchForTheSameAgent() async throws {
        try await CatalogueHarness.with { h in
            let args: ValueMap = ["memorySpaceId": "s1", "type": "user-agent", "participants": Self.userAgent, "metadata": ["a": 1]]
            let created = try await h.call("conversations:getOrCreate", args)
            let id = try #require(created["conversationId"]?.stringValue)
            #expect(id.hasPrefix("conv-\(CatalogueHarness.now)-"))
            let suffix = id.dropFirst("conv-\(CatalogueHarness.now)-".count)
            #expect(suffix.count == 9 && suffix.allSatisfy { $0.isLowercase || $0.isNumber })
            #expect(created["metadata"] == ["a": 1])
            #expect(created["tenantId"] == nil)
            let again = try await h.call("conversations:getOrCreate", merged(args, ["metadata": ["b": 2], "participantId": "p"]))
            #expect(again == created)
            let otherAgent = try await h.call(
                "conversations:getOrCreate", merged(args, ["participants": ["userId": "u1", "agentId": "a2"]]))
            #expect(otherAgent["conversationId"] != created["conversationId"])
            let otherSpace = try await h.call("conversations:getOrCreate", merged(args, ["memorySpaceId": "s2"]))
            #expect(otherSpace["conversationId"] != created["conversationId"])
            #expect(try h.documents("conversations").count == 3)
        }
    }

    @Test func getOrCreateMatchesAgentAgentMultisetsInAnySpace() async throws {
        try await CatalogueHarness.with { h in
            let (s1, s2) = h.namesInDifferentShards("space")
            let first = try await h.call(
                "conversations:getOrCreate",
                ["memorySpaceId": .string(s1), "type": "agent-agent", "participants": ["memorySpaceIds": ["x", "y", "x"]]])
            let found = try await h.call(
                "conversations:getOrCreate",
                ["memorySpaceId": .string(s2), "type": "agent-agent", "participants": ["memorySpaceIds": ["y", "x", "x"]]])
            #expect(found == first)
            let different = try await h.call(
                "conversations:getOrCreate",
                ["memorySpaceId": .string(s2), "type": "agent-agent", "participants": ["memorySpaceIds": ["x", "y"]]])
            #expect(different["conversationId"] != first["conversationId"])
            #expect(different["memorySpaceId"] == .string(s2))
            #expect(
                await h.errorCode("conversations:getOrCreate", ["memorySpaceId": "s", "type": "agent-agent", "participants": [:]])
                    == "agent-agent conversations require at least 2 memorySpaceIds")
            #expect(
                await h.errorCode("conversations:getOrCreate", ["memorySpaceId": "s", "type": "user-agent", "participants": [:]])
                    == "user-agent conversations require userId")
            #expect(
                await h.errorCode("conversations:getOrCreate", ["memorySpaceId": "s", "type": "user-agent", "participants": ["userId": "u"]])
                    == "agentId is required when userId is provided. User-agent conversations require both a user and an agent participant.")
        }
    }

    @Test func tenantBoundCallersOnlyReachTheirOwnConversations() async throws {
        try await CatalogueHarness.with { h in
            let t1 = Caller(tenantId: "t1"), t2 = Caller(tenantId: "t2")
            let created = try await h.call(
                "conversations:create",
                ["conversationId": "c1", "memorySpaceId": "s", "type": "user-agent", "participants": Self.userAgent], caller: t1)
            #expect(created["tenantId"] == "t1")
            let message: ValueMap = ["conversationId": "c1", "message": ["id": "m", "role": "user", "content": "x"]]
            #expect(await h.errorCode("conversations:addMessage", message, caller: t2) == "CONVERSATION_NOT_FOUND")
            #expect(await h.errorCode("conversations:deleteConversation", ["conversationId": "c1"], caller: t2) == "CONVERSATION_NOT_FOUND")
            _ = try await h.call("conversations:addMessage", message, caller: t1)
            // getOrCreate stores a bound caller's tenant, so the caller can use what it created.
            let own = try await h.call(
                "conversations:getOrCreate", ["memorySpaceId": "s", "type": "user-agent", "participants": Self.userAgent], caller: t2)
            #expect(own["tenantId"] == "t2")
            #expect(own["conversationId"] != "c1")
        }
    }
}
