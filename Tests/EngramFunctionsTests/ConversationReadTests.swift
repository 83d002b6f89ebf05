import EngramCore
import EngramFunctions
import Testing

/// `conversations:get`, `getMessage`, `getMessagesByIds`, `findConversation`,
/// `count` and `getHistory`.
@Suite struct ConversationReadTests {
    static func message(_ h: CatalogueHarness, _ conversation: String, _ id: String, role: Value = "user", content: String = "x") async throws {
        _ = try await h.call(
            "conversations:addMessage", ["conversationId": .string(conversation), "message": ["id": .string(id), "role": role, "content": .string(content)]])
    }

    @Test func getAppliesTenantAndMessageOptions() async throws {
        try await CatalogueHarness.with { h in
            try await ConversationDeleteTests.seed(h, "c1", space: "s1", tenant: "t1")
            for i in 0..<3 { try await Self.message(h, "c1", "m\(i)") }
            #expect(try await h.call("conversations:get", ["conversationId": "nope"]) == .null)
            let whole = try await h.call("conversations:get", ["conversationId": "c1"])
            #expect(items(whole["messages"]).count == 3)
            #expect(try await h.call("conversations:get", ["conversationId": "c1", "tenantId": "t2"]) == .null)
            #expect(try await h.call("conversations:get", ["conversationId": "c1", "tenantId": "t1"]) == whole)
            let bare = try await h.call("conversations:get", ["conversationId": "c1", "includeMessages": false])
            #expect(bare["messages"] == [] && bare["messageCount"] == 3)
            #expect(keys(bare) == keys(whole))
            func lastIds(_ limit: Value) async throws -> [String] {
                strings(try await h.call("conversations:get", ["conversationId": "c1", "messageLimit": limit])["messages"], "id")
            }
            #expect(try await lastIds(2) == ["m1", "m2"])
            #expect(try await lastIds(2.5) == ["m1", "m2"])
            #expect(try await lastIds(0.5) == ["m0", "m1", "m2"])
            #expect(try await lastIds(10) == ["m0", "m1", "m2"])
            #expect(try await lastIds(0) == ["m0", "m1", "m2"])
            #expect(try await lastIds(-1) == ["m0", "m1", "m2"])
            // A bound caller is forced into its tenant.
            #expect(try await h.call("conversations:get", ["conversationId": "c1"], caller: Caller(tenantId: "t2")) == .null)
            #expect(try await h.call("conversations:get", ["conversationId": "c1"], caller: Caller(tenantId: "t1")) == whole)
        }
    }

    @Test func getMessageAndGetMessagesByIdsReturnStoredMessages() async throws {
        try await CatalogueHarness.with { h in
            try await ConversationDeleteTests.seed(h, "c1", space: "s1")
            try await Self.message(h, "c1", "m1", content: "a")
            try await Self.message(h, "c1", "m2", content: "b")
            try await Self.message(h, "c1", "m1", content: "c")
            let m = try await h.call("conversations:getMessage", ["conversationId": "c1", "messageId": "m1"])
            #expect(m["content"] == "a")
            #expect(keys(m) == ["id", "role", "content", "timestamp"])
            #expect(try await h.call("conversations:getMessage", ["conversationId": "c1", "messageId": "zz"]) == .null)
            #expect(try await h.call("conversations:getMessage", ["conversationId": "zz", "messageId": "m1"]) == .null)
            let several = try await h.call("conversations:getMessagesByIds", ["conversationId": "c1", "messageIds": ["m2", "m1"]])
            #expect(strings(several, "content") == ["a", "b", "c"])
            #expect(try await h.call("conversations:getMessagesByIds", ["conversationId": "zz", "messageIds": ["m1"]]) == [])
            #expect(try await h.call("conversations:getMessagesByIds", ["conversationId": "c1", "messageIds": []]) == [])
            #expect(try await h.call("conversations:getMessage", ["conversationId": "c1", "messageId": "m1"], caller: Caller(tenantId: "t")) == .null)
        }
    }

    @Test func findConversationIgnoresAgentsAndMatchesMultisets() async throws {
        try await CatalogueHarness.with { h in
            try await ConversationDeleteTests.seed(h, "c1", space: "s1")
            _ = try await h.call(
                "conversations:create",
                ["conversationId": "c2", "memorySpaceId": "s1", "type": "user-agent", "participants": ["userId": "u1", "agentId": "a2"]])
            _ = try await h.call(
                "conversations:create",
                ["conversationId": "aa", "memorySpaceId": "s9", "type": "agent-agent", "participants": ["memorySpaceIds": ["p", "q"]]])
            func find(_ args: ValueMap) async throws -> Value? {
                try await h.call("conversations:findConversation", args)["conversationId"]
            }
            #expect(try await find(["memorySpaceId": "s1", "type": "user-agent", "userId": "u1"]) == "c1")
            #expect(try await find(["memorySpaceId": "s2", "type": "user-agent", "userId": "u1"]) == nil)
            #expect(try await find(["memorySpaceId": "s1", "type": "user-agent"]) == nil)
            #expect(try await find(["memorySpaceId": "s1", "type": "user-agent", "userId": ""]) == nil)
            #expect(try await find(["memorySpaceId": "any", "type": "agent-agent", "memorySpaceIds": ["q", "p"]]) == "aa")
            #expect(try await find(["memorySpaceId": "any", "type": "agent-agent", "memorySpaceIds": ["q"]]) == nil)
            #expect(try await find(["memorySpaceId": "any", "type": "agent-agent", "memorySpaceIds": ["q", "p", "p"]]) == nil)
            #expect(try await h.call("conversations:findConversation", ["memorySpaceId": "s1", "type": "agent-agent"]) == .null)
            let bound = try await h.call(
                "conversations:findConversation", ["memorySpaceId": "s1", "type": "user-agent", "userId": "u1"], caller: Caller(tenantId: "t"))
            #expect(bound == .null)
        }
    }

    @Test func countFiltersEverySpaceAndTenant() async throws {
        try await CatalogueHarness.with { h in
            let (s1, s2) = h.namesInDifferentShards("space")
            try await ConversationDeleteTests.seed(h, "c1", space: s1, tenant: "t1")
            try await ConversationDeleteTests.seed(h, "c2", space: s2)
            try await ConversationDeleteTests.seed(h, "c3", space: s2, user: "u2")
            #expect(try await h.call("conversations:count") == 3)
            #expect(try await h.call("conversations:count", ["userId": "u1"]) == 2)
            #expect(try await h.call("conversations:count", ["memorySpaceId": .string(s2)]) == 2)
            #expect(try await h.call("conversations:count", ["memorySpaceId": .string(s2), "userId": "u2"]) == 1)
            #expect(try await h.call("conversations:count", ["type": "agent-agent"]) == 0)
            #expect(try await h.call("conversations:count", ["userId": ""]) == 3)
            #expect(try await h.call("conversations:count", [:], caller: Caller(tenantId: "t1")) == 1)
        }
    }

    @Test func getHistoryFiltersSortsAndPages() async throws {
        try await CatalogueHarness.with { h in
            try await ConversationDeleteTests.seed(h, "c1", space: "s1")
            let roles: [Value] = ["user", "agent", "system", "user", "agent"]
            for (i, role) in roles.enumerated() {
                h.fixedNow = CatalogueHarness.now + UInt64(i) * 10
                try await Self.message(h, "c1", "m\(i)", role: role)
            }
            func history(_ args: ValueMap) async throws -> Value {
                try await h.call("conversations:getHistory", merged(["conversationId": "c1"], args))
            }
            let all = try await history([:])
            #expect(keys(all) == ["messages", "total", "hasMore", "conversationId"])
            #expect(strings(all["messages"], "id") == ["m0", "m1", "m2", "m3", "m4"])
            #expect(all["total"] == 5 && all["hasMore"] == false && all["conversationId"] == "c1")
            let t0 = Double(CatalogueHarness.now)
            let window = try await history(["since": .double(t0 + 10), "until": .double(t0 + 30)])
            #expect(strings(window["messages"], "id") == ["m1", "m2", "m3"])
            let byRole = try await history(["roles": ["agent", "system"], "sortOrder": "desc"])
            #expect(strings(byRole["messages"], "id") == ["m4", "m2", "m1"])
            #expect(strings(try await history(["roles": []])["messages"], "id").count == 5)
            let page = try await history(["limit": 2, "offset": 1])
            #expect(strings(page["messages"], "id") == ["m1", "m2"])
            #expect(page["total"] == 5 && page["hasMore"] == true)
            #expect(try await history(["since": 0])["total"] == 5)
            #expect(await h.errorCode("conversations:getHistory", ["conversationId": "zz"]) == "CONVERSATION_NOT_FOUND")
            #expect(await h.errorCode("conversations:getHistory", ["conversationId": "c1"], caller: Caller(tenantId: "t")) == "CONVERSATION_NOT_FOUND")
        }
    }
}
