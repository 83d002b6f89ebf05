import EngramCore
import EngramFunctions
import Testing

/// `memorySpaces:getStats`.
@Suite struct MemorySpacesStatsTests {
    static let day = 86_400_000.0

    func memory(_ h: CatalogueHarness, space: String, participant: String?, importance: Double, tags: [String], created: Double, updated: Double? = nil) async throws {
        var f: ValueMap = ["memoryId": "m", "memorySpaceId": .string(space)]
        if let participant { f["participantId"] = .string(participant) }
        f["importance"] = .double(importance)
        f["tags"] = .array(tags.map(Value.string))
        f["createdAt"] = .double(created)
        f["updatedAt"] = .double(updated ?? created)
        try await h.seed("memories", f)
    }

    @Test func statsAggregateTheSpace() async throws {
        try await withCatalogue { h in
            let now = 100 * Self.day
            h.fixedNow = UInt64(now)
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team"])
            try await memory(h, space: "s", participant: "p1", importance: 95, tags: ["b", "a", "7"], created: now - 2 * Self.day, updated: now - Self.day)
            try await memory(h, space: "s", participant: "p1", importance: 40, tags: ["a", "b", "b"], created: now - 40 * Self.day)
            try await memory(h, space: "s", participant: nil, importance: 5, tags: ["10", "c"], created: now - 1000)
            try await memory(h, space: "other", participant: "p1", importance: 50, tags: ["zzz"], created: now)
            try await h.seed("conversations", ["memorySpaceId": "s", "participantId": "p1", "messageCount": 3.0, "createdAt": .double(now - 1000)])
            try await h.seed("conversations", ["memorySpaceId": "s", "participantId": "ghost", "messageCount": 4.0, "createdAt": .double(now - 50 * Self.day)])
            try await h.seed("facts", ["factId": "f1", "memorySpaceId": "s", "participantId": "p1"])
            try await h.seed("facts", ["factId": "f2", "memorySpaceId": "s", "participantId": "p1", "supersededBy": "f3"])

            let all = try await h.call("memorySpaces:getStats", ["memorySpaceId": "s"])
            #expect(
                all.keyList == [
                    "memorySpaceId", "totalMemories", "totalConversations", "totalFacts", "totalMessages", "memoriesThisWindow",
                    "conversationsThisWindow", "storage", "topTags", "importanceBreakdown",
                ])
            #expect(all["totalMemories"] == 3.0)
            #expect(all["totalConversations"] == 2.0)
            #expect(all["totalFacts"] == 1.0)
            #expect(all["totalMessages"] == 7.0)
            #expect(all["memoriesThisWindow"] == 3.0)
            #expect(all["storage"] == ["conversationsBytes": 0.0, "memoriesBytes": 0.0, "factsBytes": 0.0, "totalBytes": 0.0])
            // b:3, a:2, then ties at 1 in enumeration order: index-like "7", "10" first, then "c".
            #expect(all["topTags"] == ["b", "a", "7", "10", "c"])
            #expect(all["importanceBreakdown"] == ["critical": 1.0, "high": 0.0, "medium": 1.0, "low": 0.0, "trivial": 1.0])

            let week = try await h.call("memorySpaces:getStats", ["memorySpaceId": "s", "timeWindow": "7d", "includeParticipants": true])
            #expect(week["memoriesThisWindow"] == 2.0)
            #expect(week["conversationsThisWindow"] == 1.0)
            let parts = week["participants"]?.items ?? []
            #expect(parts.map { $0["participantId"] } == ["p1", "unknown"])
            #expect(
                parts.first?.keyList == [
                    "participantId", "memoriesStored", "conversationsStored", "factsExtracted", "firstActive", "lastActive",
                    "avgImportance", "topTags",
                ])
            #expect(parts.first?["memoriesStored"] == 2.0)
            #expect(parts.first?["conversationsStored"] == 1.0)
            #expect(parts.first?["factsExtracted"] == 1.0)
            #expect(parts.first?["firstActive"] == .double(now - 40 * Self.day))
            #expect(parts.first?["lastActive"] == .double(now - Self.day))
            #expect(parts.first?["avgImportance"] == 68.0)  // Math.round(67.5)
            #expect(parts.first?["topTags"] == ["b", "a", "7"])
            #expect(parts.last?["conversationsStored"] == 0.0)
            let noParticipants = try await h.call("memorySpaces:getStats", ["memorySpaceId": "s", "includeParticipants": false])
            #expect(noParticipants["participants"] == nil)
        }
    }

    @Test func statsErrorsAndValidation() async throws {
        try await withCatalogue { h in
            #expect(await h.errorCode("memorySpaces:getStats", ["memorySpaceId": "x"]) == "MEMORYSPACE_NOT_FOUND")
            try await h.call("memorySpaces:register", ["memorySpaceId": "t", "type": "team", "tenantId": "t1"])
            // Any tenant for an unbound caller; only its own tenant for a bound one.
            #expect(try await h.call("memorySpaces:getStats", ["memorySpaceId": "t"])["totalMemories"] == 0.0)
            #expect(
                await h.errorCode("memorySpaces:getStats", ["memorySpaceId": "t"], caller: Caller(tenantId: "t2")) == "MEMORYSPACE_NOT_FOUND")
            #expect(await h.errorCode("memorySpaces:getStats", ["memorySpaceId": "t", "timeWindow": "1y"]) == "ARGUMENT_VALIDATION_ERROR")
            let empty = try await h.call("memorySpaces:getStats", ["memorySpaceId": "t", "timeWindow": "all", "includeParticipants": true])
            #expect(empty["participants"] == .array([]))
            #expect(empty["topTags"] == .array([]))
        }
    }
}
