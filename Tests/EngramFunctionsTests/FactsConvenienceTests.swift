import EngramCore
import EngramFunctions
import Testing

/// The Python SDK's fact paths (memory-convenience.md), call by call with the
/// arguments the SDK sends: `remember`'s belief revision (ADD, UPDATE, SUPERSEDE) and
/// dedup paths, `recall`, the fact cascade of `forget`, and `facts.supersede()`.
@Suite struct FactsConvenienceTests {
    let space: Value = "space-1"

    /// Belief revision's candidate stages for one extracted fact (slot, duplicate, subject+type).
    func candidates(_ h: CatalogueHarness, subject: String, predicate: String, object: String) async throws -> [Value] {
        let slot = try await h.call(
            "facts:queryBySubject",
            ["memorySpaceId": space, "subject": .string(subject), "userId": "user-1", "includeSuperseded": false, "limit": 100])
        if !slot.items.isEmpty { return slot.items }
        let duplicate = try await h.call(
            "facts:findByStructure",
            ["memorySpaceId": space, "subject": .string(subject), "predicate": .string(predicate), "object": .string(object),
             "userId": "user-1", "limit": 1])
        if !duplicate.items.isEmpty { return duplicate.items }
        return try await h.call(
            "facts:list",
            ["memorySpaceId": space, "userId": "user-1", "subject": .string(subject), "factType": "preference",
             "includeSuperseded": false, "limit": 20]).items
    }

    /// `facts:store` exactly as belief revision's ADD sends it.
    func add(_ h: CatalogueHarness, _ text: String, object: String, confidence: Double) async throws -> Value {
        try await h.call(
            "facts:store",
            ["memorySpaceId": space, "participantId": "agent-1", "userId": "user-1", "fact": .string(text),
             "factType": "preference", "subject": "user-1", "predicate": "favorite_color", "object": .string(object),
             "confidence": .double(confidence), "sourceType": "conversation", "tags": []])
    }

    @Test func rememberBeliefRevisionAddUpdateSupersede() async throws {
        try await withCatalogue { h in
            h.fixedNow = 1000
            #expect(try await candidates(h, subject: "user-1", predicate: "favorite_color", object: "blue").isEmpty)
            let blue = try await add(h, "User likes blue", object: "blue", confidence: 80)  // ADD
            let found = try await candidates(h, subject: "user-1", predicate: "favorite_color", object: "blue")
            #expect(found.map { $0["factId"] } == [blue["factId"]])
            h.fixedNow = 2000
            let updated = try await h.call(  // UPDATE
                "facts:updateInPlace",
                ["memorySpaceId": space, "factId": blue["factId"] ?? nil, "fact": "User really likes blue", "confidence": 90,
                 "tags": ["color"]])
            #expect(updated["factId"] == blue["factId"])
            #expect(updated["fact"] == "User really likes blue")
            h.fixedNow = 3000
            let green = try await add(h, "User now prefers green", object: "green", confidence: 85)  // SUPERSEDE
            let superseded = try await h.call(
                "facts:supersede",
                ["memorySpaceId": space, "oldFactId": blue["factId"] ?? nil, "newFactId": green["factId"] ?? nil,
                 "reason": "preference changed"])
            #expect(superseded["superseded"] == true)
            let now = try await candidates(h, subject: "user-1", predicate: "favorite_color", object: "green")
            #expect(now.map { $0["factId"] } == [green["factId"]])
            #expect(try await h.ids("facts:getHistory", ["memorySpaceId": space, "factId": green["factId"] ?? nil])
                == [blue["factId"], green["factId"]])
        }
    }

    @Test func rememberDedupPathAndRecall() async throws {
        try await withCatalogue { h in
            h.fixedNow = 1000
            let stored = try await h.call(  // no duplicate: store with the SDK's sourceRef (null memoryId)
                "facts:store",
                ["memorySpaceId": space, "userId": "user-1", "fact": "User drinks green tea", "factType": "preference",
                 "subject": "user-1", "predicate": "drinks", "object": "green tea", "confidence": 70,
                 "sourceType": "conversation", "sourceRef": ["conversationId": "conv-1", "messageIds": ["m1", "m2"], "memoryId": nil],
                 "tags": ["drinks"]])
            #expect(stored["sourceRef"] == ["conversationId": "conv-1", "messageIds": ["m1", "m2"]])
            let duplicate = try await h.call(
                "facts:findByStructure",
                ["memorySpaceId": space, "subject": "user-1", "predicate": "drinks", "object": "green tea", "userId": "user-1", "limit": 1])
            #expect(duplicate.items.map { $0["factId"] } == [stored["factId"]])
            h.fixedNow = 2000
            let raised = try await h.call(  // duplicate with higher confidence: a new version
                "facts:update", ["memorySpaceId": space, "factId": stored["factId"] ?? nil, "confidence": 95, "tags": ["drinks", "tea"]])
            #expect(raised["version"] == 2.0)
            #expect(raised["sourceRef"] == stored["sourceRef"])
            // recall: facts:search with the recall arguments.
            let recalled = try await h.call(
                "facts:search", ["memorySpaceId": space, "query": "green tea", "limit": 20, "minConfidence": 50, "userId": "user-1"])
            #expect(recalled.items.map { $0["factId"] } == [raised["factId"]])
            // forget's fact cascade (H4): list, then soft-delete the memory's conversation facts.
            let listed = try await h.call("facts:list", ["memorySpaceId": space, "limit": 10000])
            let conversationFacts = listed.items.filter { $0["sourceRef"]?["conversationId"] == "conv-1" }
            #expect(conversationFacts.count == 1)
            for fact in conversationFacts {
                let r = try await h.call("facts:deleteFact", ["memorySpaceId": space, "factId": fact["factId"] ?? nil])
                #expect(r["deleted"] == true)
            }
            #expect(try await h.call("facts:list", ["memorySpaceId": space, "validAt": 3000]) == [])
        }
    }

    @Test func sdkSupersedeMethodUsesGetUpdateAndLogEvent() async throws {
        try await withCatalogue { h in
            h.fixedNow = 1000
            let old = try await add(h, "User likes blue", object: "blue", confidence: 80)
            let new = try await add(h, "User likes green", object: "green", confidence: 80)
            let oldDoc = try await h.call("facts:get", ["memorySpaceId": space, "factId": old["factId"] ?? nil])
            let newDoc = try await h.call("facts:get", ["memorySpaceId": space, "factId": new["factId"] ?? nil])
            #expect(oldDoc != .null && newDoc != .null)
            h.fixedNow = 2000
            let copy = try await h.call("facts:update", ["memorySpaceId": space, "factId": old["factId"] ?? nil, "validUntil": 2000])
            #expect(copy["validUntil"] == 2000.0)
            let event = try await h.call(
                "factHistory:logEvent",
                ["factId": old["factId"] ?? nil, "memorySpaceId": space, "action": "SUPERSEDE", "oldValue": "User likes blue",
                 "newValue": "User likes green", "supersededBy": new["factId"] ?? nil, "reason": "changed"])
            let history = try await h.call("factHistory:getHistory", ["factId": old["factId"] ?? nil])
            #expect(history.items.map { $0["eventId"] } == [event["eventId"]])
            // Without `supersedes` on the event, the chain is just the current version.
            #expect(try await h.call("factHistory:getSupersessionChain", ["factId": old["factId"] ?? nil]).items.count == 1)
        }
    }
}
