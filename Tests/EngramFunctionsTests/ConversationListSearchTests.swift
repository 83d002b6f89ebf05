import EngramCore
import EngramFunctions
import Testing

/// `conversations:list`, `search` and `exportConversations`.
@Suite struct ConversationListSearchTests {
    /// c0…c3 at now, now+10, …; c1 is agent-agent in s2 of tenant t1, c3 has participantId p.
    static func seed(_ h: CatalogueHarness) async throws {
        for i in 0..<4 {
            h.fixedNow = CatalogueHarness.now + UInt64(i) * 10
            var args: ValueMap = [
                "conversationId": .string("c\(i)"), "memorySpaceId": i == 1 ? "s2" : "s1", "type": "user-agent",
                "participants": ["userId": i == 2 ? "u2" : "u1", "agentId": "a1"],
            ]
            if i == 1 {
                args["type"] = "agent-agent"
                args["participants"] = ["memorySpaceIds": ["s1", "s2"]]
                args["tenantId"] = "t1"
            }
            if i == 3 { args["participantId"] = "p" }
            _ = try await h.call("conversations:create", args)
        }
        h.fixedNow = CatalogueHarness.now + 100
        for m in 0..<3 {
            _ = try await h.call("conversations:addMessage", ["conversationId": "c0", "message": ["id": .string("m\(m)"), "role": "user", "content": "x"]])
        }
    }

    static func ids(_ r: Value) -> [String] { strings(r["conversations"], "conversationId") }

    @Test func listFiltersSortsAndPages() async throws {
        try await CatalogueHarness.with { h in
            try await Self.seed(h)
            func list(_ args: ValueMap) async throws -> Value { try await h.call("conversations:list", args) }
            let all = try await list([:])
            #expect(keys(all) == ["conversations", "total", "limit", "offset", "hasMore"])
            #expect(Self.ids(all) == ["c3", "c2", "c1", "c0"])
            #expect(all["total"] == 4 && all["limit"] == 50 && all["offset"] == 0 && all["hasMore"] == false)
            #expect(Self.ids(try await list(["sortOrder": "asc"])) == ["c0", "c1", "c2", "c3"])
            #expect(Self.ids(try await list(["sortBy": "updatedAt"])) == ["c0", "c3", "c2", "c1"])
            #expect(Self.ids(try await list(["sortBy": "lastMessageAt", "sortOrder": "asc"])) == ["c1", "c2", "c3", "c0"])
            #expect(Self.ids(try await list(["sortBy": "messageCount"])) == ["c0", "c1", "c2", "c3"])
            #expect(Self.ids(try await list(["userId": "u1"])) == ["c3", "c0"])
            #expect(Self.ids(try await list(["memorySpaceId": "s1", "userId": "u1"])) == ["c3", "c0"])
            #expect(Self.ids(try await list(["memorySpaceId": "s1", "type": "agent-agent"])) == [])
            #expect(Self.ids(try await list(["type": "agent-agent"])) == ["c1"])
            #expect(Self.ids(try await list(["tenantId": "t1"])) == ["c1"])
            #expect(Self.ids(try await list(["tenantId": "t1", "memorySpaceId": "s1"])) == [])
            #expect(Self.ids(try await list(["tenantId": "t1", "userId": "u1"])) == [])
            #expect(Self.ids(try await list(["participantId": "p"])) == ["c3"])
            let t0 = Double(CatalogueHarness.now)
            #expect(Self.ids(try await list(["createdAfter": .double(t0), "createdBefore": .double(t0 + 30)])) == ["c2", "c1"])
            #expect(Self.ids(try await list(["updatedAfter": .double(t0 + 30)])) == ["c0"])
            #expect(Self.ids(try await list(["updatedBefore": .double(t0 + 10)])) == [])
            #expect(Self.ids(try await list(["lastMessageAfter": .double(t0 + 20), "lastMessageBefore": .double(t0 + 200)])) == ["c3", "c0"])
            #expect(Self.ids(try await list(["messageCountMin": 1])) == ["c0"])
            #expect(Self.ids(try await list(["messageCountMax": 0])) == ["c3", "c2", "c1"])
            #expect(Self.ids(try await list(["createdAfter": 0])) == ["c3", "c2", "c1", "c0"])
            let page = try await list(["limit": 2, "offset": 1, "sortOrder": "asc"])
            #expect(Self.ids(page) == ["c1", "c2"])
            #expect(page["total"] == 4 && page["limit"] == 2 && page["offset"] == 1 && page["hasMore"] == true)
            #expect(try await list(["limit": 0])["limit"] == 50)
            let bare = try await list(["includeMessages": false, "userId": "u1", "sortOrder": "asc"])
            #expect(items(bare["conversations"])[0]["messages"] == [] && items(bare["conversations"])[0]["messageCount"] == 3)
            #expect(Self.ids(try await h.call("conversations:list", [:], caller: Caller(tenantId: "t1"))) == ["c1"])
        }
    }

    @Test func searchScoresMessagesAndMetadata() async throws {
        try await CatalogueHarness.with { h in
            let long = String(repeating: "a", count: 40) + "Needle" + String(repeating: "b", count: 40)
            _ = try await h.call(
                "conversations:create",
                ["conversationId": "c1", "memorySpaceId": "s1", "type": "user-agent", "participants": ["userId": "u1", "agentId": "a1"],
                 "metadata": ["topic": "needle work"]])
            _ = try await h.call(
                "conversations:create",
                ["conversationId": "c2", "memorySpaceId": "s2", "type": "user-agent", "participants": ["userId": "u2", "agentId": "a1"]])
            for (id, content) in [("c1", long), ("c1", "other"), ("c2", "a NEEDLE here"), ("c2", "needle again")] {
                _ = try await h.call(
                    "conversations:addMessage", ["conversationId": .string(id), "message": ["id": "m", "role": "user", "content": .string(content)]])
            }
            let hits = try await h.call("conversations:search", ["query": "needle"])
            #expect(items(hits).map { $0["conversation"]?["conversationId"] } == ["c2", "c1"])
            #expect(items(hits).map { $0["score"] } == [1.0, 0.5])
            let first = items(hits)[1]
            #expect(keys(first) == ["conversation", "matchedMessages", "highlights", "score"])
            #expect(first["highlights"] == [.string(String(repeating: "a", count: 30) + "Needle" + String(repeating: "b", count: 30))])
            #expect(items(hits)[0]["highlights"] == ["a NEEDLE here", "needle again"])
            let both = try await h.call("conversations:search", ["query": "needle", "searchIn": "both"])
            #expect(items(both).map { $0["score"] } == [1.0, 1.0])
            let metadata = try await h.call("conversations:search", ["query": "TOPIC", "searchIn": "metadata"])
            #expect(items(metadata).count == 1 && items(metadata)[0]["score"] == 0.5 && items(metadata)[0]["highlights"] == [])
            #expect(items(try await h.call("conversations:search", ["query": "{}", "searchIn": "metadata"])).count == 1)
            #expect(items(try await h.call("conversations:search", ["query": "needle again", "matchMode": "exact"])).count == 1)
            let fuzzy = try await h.call("conversations:search", ["query": "  here \t a ", "matchMode": "fuzzy"])
            #expect(items(fuzzy).count == 1)
            #expect(items(fuzzy)[0]["highlights"] == ["a NEEDLE here"])
            let unmatched = try await h.call("conversations:search", ["query": "again needle", "matchMode": "fuzzy"])
            #expect(items(unmatched)[0]["highlights"] == ["needle again"])
            #expect(items(try await h.call("conversations:search", ["query": "needle", "limit": 1])).count == 1)
            #expect(items(try await h.call("conversations:search", ["query": "needle", "userId": "u1"])).count == 1)
            #expect(items(try await h.call("conversations:search", ["query": "needle", "memorySpaceId": "s2"])).count == 1)
            #expect(items(try await h.call("conversations:search", ["query": "needle", "type": "agent-agent"])).isEmpty)
            #expect(items(try await h.call("conversations:search", ["query": "needle", "dateStart": .double(Double(CatalogueHarness.now + 1))])).isEmpty)
            #expect(items(try await h.call("conversations:search", ["query": "needle", "dateEnd": 0])).count == 2)
            #expect(items(try await h.call("conversations:search", ["query": ""])).count == 2)
            #expect(items(try await h.call("conversations:search", ["query": "needle"], caller: Caller(tenantId: "t"))).isEmpty)
        }
    }

    @Test func exportWritesTheReferenceJSONAndCSV() async throws {
        try await CatalogueHarness.with { h in
            _ = try await h.call(
                "conversations:create",
                ["conversationId": "c1", "memorySpaceId": "s1", "type": "user-agent", "participants": ["userId": "u", "agentId": "a"],
                 "metadata": ["b": 1, "a": "x"]])
            _ = try await h.call(
                "conversations:create",
                ["conversationId": "c2", "memorySpaceId": "s2", "type": "agent-agent", "participants": ["memorySpaceIds": ["s1", "s2"]]])
            let json = try await h.call("conversations:exportConversations", ["format": "json", "conversationIds": ["c1"]])
            #expect(keys(json) == ["format", "data", "count", "exportedAt"])
            #expect(json["count"] == 1 && json["format"] == "json" && json["exportedAt"] == .double(Double(CatalogueHarness.now)))
            #expect(json["data"] == """
                [
                  {
                    "conversationId": "c1",
                    "type": "user-agent",
                    "participants": {
                      "agentId": "a",
                      "userId": "u"
                    },
                    "messages": [],
                    "messageCount": 0,
                    "createdAt": 1700000000000,
                    "updatedAt": 1700000000000
                  }
                ]
                """)
            let withMetadata = try await h.call(
                "conversations:exportConversations", ["format": "json", "userId": "u", "includeMetadata": true])
            #expect(withMetadata["data"]?.stringValue?.contains("\"updatedAt\": 1700000000000,\n    \"metadata\": {\n      \"a\": \"x\",\n      \"b\": 1\n    }") == true)
            let csv = try await h.call("conversations:exportConversations", ["format": "csv", "includeMetadata": true])
            #expect(csv["count"] == 2)
            #expect(csv["data"] == """
                conversationId,type,participants,messageCount,createdAt,updatedAt,metadata
                c1,user-agent,{"agentId":"a","userId":"u"},0,2023-11-14T22:13:20.000Z,2023-11-14T22:13:20.000Z,{"a":"x","b":1}
                c2,agent-agent,{"memorySpaceIds":["s1","s2"]},0,2023-11-14T22:13:20.000Z,2023-11-14T22:13:20.000Z,{}
                """)
            let empty = try await h.call("conversations:exportConversations", ["format": "csv", "memorySpaceId": "none"])
            #expect(empty["data"] == "conversationId,type,participants,messageCount,createdAt,updatedAt" && empty["count"] == 0)
            #expect(try await h.call("conversations:exportConversations", ["format": "json", "type": "user-agent", "dateStart": 1])["count"] == 1)
            #expect(try await h.call("conversations:exportConversations", ["format": "json", "dateEnd": 1])["count"] == 0)
            #expect(try await h.call("conversations:exportConversations", ["format": "json", "memorySpaceId": "zz"])["data"] == "[]")
            #expect(try await h.call("conversations:exportConversations", ["format": "json"], caller: Caller(tenantId: "t"))["count"] == 0)
        }
    }
}
