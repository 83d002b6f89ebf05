import EngramCore
import EngramFunctions
import Testing

/// `conversations:deleteMany`, `deleteByIds` and `purgeAll`.
@Suite struct ConversationDeleteTests {
    /// Creates conversation `id` in `space` for `user`, with `messages` messages.
    static func seed(_ h: CatalogueHarness, _ id: String, space: String, user: String = "u1", messages: Int = 0, tenant: String? = nil) async throws {
        var args: ValueMap = [
            "conversationId": .string(id), "memorySpaceId": .string(space), "type": "user-agent",
            "participants": ["userId": .string(user), "agentId": "a1"],
        ]
        if let tenant { args["tenantId"] = .string(tenant) }
        _ = try await h.call("conversations:create", args)
        for i in 0..<messages {
            _ = try await h.call("conversations:addMessage", ["conversationId": .string(id), "message": ["id": .string("m\(i)"), "role": "user", "content": "x"]])
        }
    }

    @Test func deleteManyDryRunReportsWithoutDeleting() async throws {
        try await CatalogueHarness.with { h in
            let (s1, s2) = h.namesInDifferentShards("space")
            try await Self.seed(h, "c1", space: s1, messages: 2)
            try await Self.seed(h, "c2", space: s2, messages: 3)
            try await Self.seed(h, "c3", space: s2, user: "u2", messages: 1)
            let r = try await h.call("conversations:deleteMany", ["userId": "u1", "dryRun": true])
            #expect(r == [
                "deleted": 0, "totalMessagesDeleted": 0, "conversationIds": [], "wouldDelete": 2, "wouldDeleteMessages": 5, "dryRun": true,
            ])
            #expect(try h.documents("conversations").count == 3)
        }
    }

    @Test func deleteManyAcrossShardsDeletesEveryMatchInScanOrder() async throws {
        try await CatalogueHarness.with { h in
            let (s1, s2) = h.namesInDifferentShards("space")
            try await Self.seed(h, "c1", space: s2, messages: 1)
            try await Self.seed(h, "c2", space: s1, messages: 2, tenant: "t9")
            try await Self.seed(h, "c3", space: s1, user: "u2")
            let r = try await h.call("conversations:deleteMany", ["userId": "u1"])
            #expect(r == ["deleted": 2, "totalMessagesDeleted": 3, "conversationIds": ["c1", "c2"], "dryRun": false])
            #expect(try h.documents("conversations").map { $0.fields["conversationId"] } == ["c3"])
        }
    }

    @Test func deleteManyInOneSpaceFiltersByType() async throws {
        try await CatalogueHarness.with { h in
            try await Self.seed(h, "c1", space: "s1")
            try await Self.seed(h, "c2", space: "s2")
            _ = try await h.call(
                "conversations:create",
                ["conversationId": "aa", "memorySpaceId": "s1", "type": "agent-agent", "participants": ["memorySpaceIds": ["s1", "s2"]]])
            let r = try await h.call("conversations:deleteMany", ["memorySpaceId": "s1", "type": "user-agent"])
            #expect(r["conversationIds"] == ["c1"])
            #expect(Set(try h.documents("conversations").compactMap { $0.fields["conversationId"]?.stringValue }) == ["c2", "aa"])
        }
    }

    @Test func deleteManyRefusesMoreThanTheThreshold() async throws {
        try await CatalogueHarness.with { h in
            for i in 0..<3 { try await Self.seed(h, "c\(i)", space: "s\(i)") }
            let e = await h.error("conversations:deleteMany", ["confirmationThreshold": 2.5])
            #expect(e?.code.rawValue
                == "DELETE_MANY_THRESHOLD_EXCEEDED: Would delete 3 conversations (threshold: 2.5). Use dryRun first or increase confirmationThreshold.")
            #expect(e?.isCoded == true)
            #expect(await h.errorCode("conversations:deleteMany", ["memorySpaceId": "s1", "confirmationThreshold": 0])?
                .hasPrefix("DELETE_MANY_THRESHOLD_EXCEEDED: Would delete 1 conversations (threshold: 0).") == true)
            #expect(try h.documents("conversations").count == 3)
            for i in 3..<11 { try await Self.seed(h, "c\(i)", space: "s\(i)") }
            #expect(await h.errorCode("conversations:deleteMany", [:])?.contains("(threshold: 10)") == true)
            #expect(try await h.call("conversations:deleteMany", ["confirmationThreshold": 11])["deleted"] == 11)
        }
    }

    @Test func deleteByIdsSkipsMissingIdsAndDeletesEachOnce() async throws {
        try await CatalogueHarness.with { h in
            let (s1, s2) = h.namesInDifferentShards("space")
            try await Self.seed(h, "c1", space: s1, messages: 2)
            try await Self.seed(h, "c2", space: s2, messages: 1)
            let r = try await h.call("conversations:deleteByIds", ["conversationIds": ["c2", "missing", "c1", "c2"]])
            #expect(r == ["deleted": 2, "conversationIds": ["c2", "c1"], "totalMessagesDeleted": 3])
            #expect(try h.documents("conversations").isEmpty)
            #expect(try await h.call("conversations:deleteByIds", ["conversationIds": []]) == [
                "deleted": 0, "conversationIds": [], "totalMessagesDeleted": 0,
            ])
        }
    }

    @Test func purgeAllDeletesEveryTenantsConversationsWhenAllowed() async throws {
        try await CatalogueHarness.with { h in
            let (s1, s2) = h.namesInDifferentShards("space")
            try await Self.seed(h, "c1", space: s1, messages: 2, tenant: "t1")
            try await Self.seed(h, "c2", space: s2, messages: 1)
            h.settings.allowPurge = false
            let e = await h.error("conversations:purgeAll")
            #expect(e?.code.rawValue == "PURGE_DISABLED_IN_PRODUCTION")
            #expect(e?.message == "PURGE_DISABLED_IN_PRODUCTION: purgeAll is only available in test/dev environments.")
            h.settings.allowPurge = true
            #expect(try await h.call("conversations:purgeAll") == ["deleted": 2, "totalMessagesDeleted": 3])
            #expect(try h.documents("conversations").isEmpty)
        }
    }

    @Test func bulkDeletesOfABoundCallerStayInItsTenant() async throws {
        try await CatalogueHarness.with { h in
            try await Self.seed(h, "c1", space: "s1", tenant: "t1")
            try await Self.seed(h, "c2", space: "s1", tenant: "t2")
            try await Self.seed(h, "c3", space: "s2")
            let t1 = Caller(tenantId: "t1")
            #expect(try await h.call("conversations:deleteMany", ["memorySpaceId": "s1"], caller: t1)["conversationIds"] == ["c1"])
            #expect(try await h.call("conversations:deleteByIds", ["conversationIds": ["c2", "c3"]], caller: t1)["deleted"] == 0)
            #expect(try await h.call("conversations:purgeAll", [:], caller: Caller(tenantId: "t2"))["deleted"] == 1)
            #expect(try h.documents("conversations").map { $0.fields["conversationId"] } == ["c3"])
        }
    }
}
