import EngramCore
import EngramFunctions
import Testing

/// `factHistory`: the audit trail of belief revisions.
@Suite struct FactHistoryTests {
    @discardableResult
    func log(
        _ h: CatalogueHarness, _ factId: String, _ action: String, at now: UInt64, space: String = "s", _ extra: ValueMap = [:],
        caller: Caller = .unbound
    ) async throws -> Value {
        h.fixedNow = now
        var args: ValueMap = ["factId": .string(factId), "memorySpaceId": .string(space), "action": .string(action)]
        for (k, v) in extra { args[k] = v }
        return try await h.call("factHistory:logEvent", args, caller: caller)
    }

    @Test func logEventStoresTheEventAsSent() async throws {
        try await withCatalogue { h in
            let r = try await log(
                h, "fact-1", "SUPERSEDE", at: 1000,
                ["oldValue": "a", "newValue": "b", "supersededBy": "fact-2", "reason": "newer", "confidence": 85,
                 "pipeline": ["slotMatching": true, "semanticMatching": nil, "llmResolution": false], "userId": "u",
                 "participantId": "p", "conversationId": "c"])
            #expect(r.keyList == ["eventId", "_id"])
            #expect(r["eventId"]?.isLogicalID(prefix: "fh", now: 1000) == true)
            let event = try await h.call("factHistory:getEvent", ["eventId": r["eventId"] ?? nil])
            #expect(event["_id"] == r["_id"])
            #expect(event.keyList == [
                "_id", "_creationTime", "eventId", "factId", "memorySpaceId", "action", "oldValue", "newValue", "supersededBy",
                "reason", "confidence", "pipeline", "userId", "participantId", "conversationId", "timestamp",
            ])
            #expect(event["pipeline"] == ["slotMatching": true, "llmResolution": false])
            #expect(event["confidence"] == 85.0)
            #expect(event["timestamp"] == 1000.0)
            let bare = try await log(h, "fact-1", "CREATE", at: 1001)
            #expect(try await h.call("factHistory:getEvent", ["eventId": bare["eventId"] ?? nil]).keyList == [
                "_id", "_creationTime", "eventId", "factId", "memorySpaceId", "action", "timestamp",
            ])
            #expect(await h.errorCode("factHistory:logEvent", ["factId": "f", "memorySpaceId": "s", "action": "EDIT"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("factHistory:logEvent", ["factId": "f", "memorySpaceId": "s", "action": "create"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("factHistory:logEvent", ["factId": "f", "action": "CREATE"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode(
                "factHistory:logEvent", ["factId": "f", "memorySpaceId": "s", "action": "CREATE", "pipeline": ["other": true]]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode(
                "factHistory:logEvent", ["factId": "f", "memorySpaceId": "s", "action": "CREATE", "tenantId": "t"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func getEventReturnsTheOldestWithTheIdOrNull() async throws {
        try await withCatalogue(shards: 3) { h in
            try await h.seed("factHistory", ["eventId": "fh-dup", "factId": "a", "memorySpaceId": "s1", "action": "CREATE", "timestamp": 1.0])
            try await h.seed("factHistory", ["eventId": "fh-dup", "factId": "b", "memorySpaceId": "s2", "action": "CREATE", "timestamp": 2.0])
            #expect(try await h.call("factHistory:getEvent", ["eventId": "fh-dup"])["factId"] == "a")
            #expect(try await h.call("factHistory:getEvent", ["eventId": "fh-none"]) == .null)
            #expect(await h.errorCode("factHistory:getEvent", [:]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func getHistoryIsNewestFirstWithADefaultOf100() async throws {
        try await withCatalogue(shards: 3) { h in
            for i in 0..<101 { try await log(h, "fact-a", "UPDATE", at: UInt64(1000 + i), space: i % 2 == 0 ? "s1" : "s2") }
            try await log(h, "fact-b", "CREATE", at: 5000)
            let all = try await h.call("factHistory:getHistory", ["factId": "fact-a"]).items
            #expect(all.count == 100)
            #expect(all.first?["timestamp"] == 1100.0)
            #expect(all.last?["timestamp"] == 1001.0)
            #expect(try await h.call("factHistory:getHistory", ["factId": "fact-a", "limit": 2]).items.map { $0["timestamp"] } == [1100.0, 1099.0])
            #expect(try await h.call("factHistory:getHistory", ["factId": "fact-a", "limit": 0]) == [])
            #expect(try await h.call("factHistory:getHistory", ["factId": "fact-a", "limit": -100]).items.map { $0["timestamp"] } == [1100.0])
            #expect(try await h.call("factHistory:getHistory", ["factId": "fact-none"]) == [])
            #expect(await h.errorCode("factHistory:getHistory", ["factId": "a", "offset": 1]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func getChangesByTimeRangeFiltersThenPages() async throws {
        try await withCatalogue { h in
            let actions = ["CREATE", "UPDATE", "SUPERSEDE", "UPDATE", "DELETE"]
            for (i, action) in actions.enumerated() { try await log(h, "f\(i)", action, at: UInt64(100 * i)) }
            try await log(h, "x", "CREATE", at: 250, space: "other")
            func changes(_ extra: ValueMap) async throws -> [Value?] {
                var args: ValueMap = ["memorySpaceId": "s"]
                for (k, v) in extra { args[k] = v }
                return try await h.call("factHistory:getChangesByTimeRange", args).items.map { $0["factId"] }
            }
            #expect(try await changes([:]) == ["f4", "f3", "f2", "f1", "f0"])
            #expect(try await changes(["after": 100, "before": 300]) == ["f3", "f2", "f1"])
            #expect(try await changes(["after": 0]) == ["f4", "f3", "f2", "f1", "f0"])
            #expect(try await changes(["before": 0]) == ["f0"])
            #expect(try await changes(["action": "UPDATE"]) == ["f3", "f1"])
            #expect(try await changes(["limit": 2, "offset": 1]) == ["f3", "f2"])
            #expect(try await changes(["limit": 0]).isEmpty)
            #expect(try await changes(["offset": -2]) == ["f1", "f0"])
            #expect(try await changes(["action": "UPDATE", "offset": 1]) == ["f1"])
            #expect(await h.errorCode("factHistory:getChangesByTimeRange", ["memorySpaceId": "s", "action": "MOVE"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("factHistory:getChangesByTimeRange", [:]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func countByActionAlwaysHasAllFiveKeys() async throws {
        try await withCatalogue { h in
            for (i, action) in ["CREATE", "UPDATE", "UPDATE", "DELETE"].enumerated() { try await log(h, "f", action, at: UInt64(10 * i)) }
            let all = try await h.call("factHistory:countByAction", ["memorySpaceId": "s"])
            #expect(all == ["CREATE": 1.0, "UPDATE": 2.0, "SUPERSEDE": 0.0, "DELETE": 1.0, "total": 4.0])
            #expect(all.keyList == ["CREATE", "UPDATE", "SUPERSEDE", "DELETE", "total"])
            #expect(try await h.call("factHistory:countByAction", ["memorySpaceId": "s", "after": 10, "before": 20])
                == ["CREATE": 0.0, "UPDATE": 2.0, "SUPERSEDE": 0.0, "DELETE": 0.0, "total": 2.0])
            #expect(try await h.call("factHistory:countByAction", ["memorySpaceId": "none"])["total"] == 0.0)
            #expect(await h.errorCode("factHistory:countByAction", ["memorySpaceId": "s", "action": "CREATE"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func deletionsByFactUserAndSpace() async throws {
        try await withCatalogue(shards: 3) { h in
            try await log(h, "f1", "CREATE", at: 1, space: "s1", ["userId": "u1"])
            try await log(h, "f1", "UPDATE", at: 2, space: "s2", ["participantId": "u1"])
            try await log(h, "f2", "CREATE", at: 3, space: "s1", ["userId": "u1"])
            try await log(h, "f3", "CREATE", at: 4, space: "s3")
            #expect(try await h.call("factHistory:deleteByFactId", ["factId": "f1"]) == ["deleted": 2.0])
            #expect(try await h.call("factHistory:deleteByFactId", ["factId": "f1"]) == ["deleted": 0.0])
            #expect(try await h.call("factHistory:deleteByUserId", ["userId": "u1"]) == ["deleted": 1.0])
            #expect(try await h.call("factHistory:deleteByUserId", ["userId": "u1"]) == ["deleted": 0.0])
            #expect(try await h.call("factHistory:deleteByMemorySpace", ["memorySpaceId": "s3"]) == ["deleted": 1.0])
            #expect(try h.count("factHistory") == 0)
            try await log(h, "f4", "CREATE", at: 5, space: "s1", ["participantId": "u9"])
            #expect(try await h.call("factHistory:deleteByUserId", ["userId": "u9"]) == ["deleted": 0.0])
            #expect(await h.errorCode("factHistory:deleteByFactId", [:]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("factHistory:deleteByUserId", ["userId": "u", "memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("factHistory:deleteByMemorySpace", ["memorySpaceId": 3]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func purgeOldEventsDeletesTheOldestFirstAndReportsTheRest() async throws {
        try await withCatalogue(shards: 3) { h in
            for i in 0..<6 { try await log(h, "f\(i)", "CREATE", at: UInt64(10 * (i + 1)), space: i < 3 ? "a" : "b") }
            // a: 10, 20, 30; b: 40, 50, 60.
            #expect(try await h.call("factHistory:purgeOldEvents", ["memorySpaceId": "a", "olderThan": 30, "limit": 1]) == ["deleted": 1.0, "remaining": 1.0])
            #expect(try await h.call("factHistory:getHistory", ["factId": "f0"]) == [])
            #expect(try await h.call("factHistory:purgeOldEvents", ["memorySpaceId": "a", "olderThan": 30, "limit": 0]) == ["deleted": 0.0, "remaining": 1.0])
            #expect(try await h.call("factHistory:purgeOldEvents", ["olderThan": 55, "limit": 2]) == ["deleted": 2.0, "remaining": 2.0])
            #expect(try await h.call("factHistory:getHistory", ["factId": "f1"]) == [])
            #expect(try await h.call("factHistory:getHistory", ["factId": "f2"]) == [])
            #expect(try await h.call("factHistory:purgeOldEvents", ["memorySpaceId": "", "olderThan": 1000, "limit": -1]) == ["deleted": 2.0, "remaining": 1.0])
            #expect(try await h.call("factHistory:getHistory", ["factId": "f5"]).items.count == 1)
            #expect(try await h.call("factHistory:purgeOldEvents", ["olderThan": 1000]) == ["deleted": 1.0, "remaining": 0.0])
            #expect(try h.count("factHistory") == 0)
            #expect(await h.errorCode("factHistory:purgeOldEvents", ["memorySpaceId": "a"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func getSupersessionChainFollowsSupersedesBackwards() async throws {
        try await withCatalogue(shards: 3) { h in
            try await log(h, "B", "SUPERSEDE", at: 100, ["supersedes": "A", "reason": "corrected"])
            try await log(h, "B", "SUPERSEDE", at: 150, ["supersedes": "Z"])  // later events are never read
            try await log(h, "C", "UPDATE", at: 180, ["supersedes": "Q"])  // not a SUPERSEDE event
            try await log(h, "C", "SUPERSEDE", at: 200, space: "other", ["supersedes": "B"])
            h.fixedNow = 999
            let chain = try await h.call("factHistory:getSupersessionChain", ["factId": "C"])
            #expect(chain == [
                ["factId": "A", "supersededBy": "B", "timestamp": 100.0, "reason": "corrected"],
                ["factId": "B", "supersededBy": "C", "timestamp": 200.0],
                ["factId": "C", "supersededBy": nil, "timestamp": 999.0, "reason": "Current version"],
            ])
            #expect(chain.items.map(\.keyList) == [
                ["factId", "supersededBy", "timestamp", "reason"], ["factId", "supersededBy", "timestamp"],
                ["factId", "supersededBy", "timestamp", "reason"],
            ])
            #expect(try await h.call("factHistory:getSupersessionChain", ["factId": "unknown"])
                == [["factId": "unknown", "supersededBy": nil, "timestamp": 999.0, "reason": "Current version"]])
            try await log(h, "D", "SUPERSEDE", at: 300, ["supersedes": ""])
            #expect(try await h.call("factHistory:getSupersessionChain", ["factId": "D"]).items.count == 1)
        }
    }

    @Test func getSupersessionChainFailsOnACycleInsteadOfLooping() async throws {
        try await withCatalogue { h in
            try await log(h, "A", "SUPERSEDE", at: 1, ["supersedes": "B"])
            try await log(h, "B", "SUPERSEDE", at: 2, ["supersedes": "A"])
            let e = await h.error("factHistory:getSupersessionChain", ["factId": "A"])
            #expect(e?.code.rawValue == "FUNCTION_ERROR")
            #expect(e?.isCoded == false)
            try await log(h, "S", "SUPERSEDE", at: 3, ["supersedes": "S"])
            #expect(await h.errorCode("factHistory:getSupersessionChain", ["factId": "S"]) == "FUNCTION_ERROR")
        }
    }

    @Test func getActivitySummaryCountsTheWindow() async throws {
        try await withCatalogue { h in
            let now: UInt64 = 1_700_000_000_000, hour: UInt64 = 3_600_000
            try await log(h, "f1", "CREATE", at: now - 30 * hour, ["userId": "old"])
            try await log(h, "f1", "UPDATE", at: now - hour, ["userId": "u1", "participantId": "p1"])
            try await log(h, "f2", "CREATE", at: now - hour, ["participantId": "u1", "userId": ""])
            try await log(h, "f2", "SUPERSEDE", at: now + hour, ["participantId": "p2"])  // future events count
            try await log(h, "f3", "DELETE", at: now, space: "other")
            h.fixedNow = now
            let s = try await h.call("factHistory:getActivitySummary", ["memorySpaceId": "s"])
            #expect(s == [
                "timeRange": ["hours": 24.0, "since": "2023-11-13T22:13:20.000Z", "until": "2023-11-14T22:13:20.000Z"],
                "totalEvents": 3.0,
                "actionCounts": ["CREATE": 1.0, "UPDATE": 1.0, "SUPERSEDE": 1.0, "DELETE": 0.0],
                "uniqueFactsModified": 2.0,
                "activeParticipants": 3.0,
            ])
            #expect(s.keyList == ["timeRange", "totalEvents", "actionCounts", "uniqueFactsModified", "activeParticipants"])
            let week = try await h.call("factHistory:getActivitySummary", ["memorySpaceId": "s", "hours": 48])
            #expect(week["totalEvents"] == 4.0)
            #expect(week["activeParticipants"] == 4.0)
            let zero = try await h.call("factHistory:getActivitySummary", ["memorySpaceId": "s", "hours": 0])
            #expect(zero["totalEvents"] == 1.0)
            #expect(zero["timeRange"]?["since"] == "2023-11-14T22:13:20.000Z")
            let fraction = try await h.call("factHistory:getActivitySummary", ["memorySpaceId": "s", "hours": 0.0000001])
            #expect(fraction["timeRange"]?["since"] == "2023-11-14T22:13:19.999Z")
            let e = await h.error("factHistory:getActivitySummary", ["memorySpaceId": "s", "hours": 1e13])
            #expect(e?.message == "Invalid time value")
            #expect(await h.errorCode("factHistory:getActivitySummary", ["hours": 1]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func tenantBoundKeysReachOnlyTheirTenantsSpaces() async throws {
        try await withCatalogue(shards: 3) { h in
            try await h.call("memorySpaces:register", ["memorySpaceId": "mine", "type": "custom", "tenantId": "t1"])
            try await h.call("memorySpaces:register", ["memorySpaceId": "theirs", "type": "custom", "tenantId": "t2"])
            let bound = Caller(tenantId: "t1")
            try await log(h, "f", "CREATE", at: 10, space: "mine", ["userId": "u"], caller: bound)
            try await log(h, "f", "UPDATE", at: 20, space: "theirs", ["userId": "u"])
            try await log(h, "f", "SUPERSEDE", at: 30, space: "unregistered", ["supersedes": "g"])
            #expect(await h.errorCode("factHistory:logEvent", ["factId": "f", "memorySpaceId": "theirs", "action": "CREATE"], caller: bound) == "FORBIDDEN")
            #expect(await h.errorCode("factHistory:logEvent", ["factId": "f", "memorySpaceId": "unregistered", "action": "CREATE"], caller: bound) == "FORBIDDEN")
            #expect(try await h.call("factHistory:getHistory", ["factId": "f"], caller: bound).items.map { $0["memorySpaceId"] } == ["mine"])
            #expect(try await h.call("factHistory:getHistory", ["factId": "f"]).items.count == 3)
            #expect(try await h.call("factHistory:getChangesByTimeRange", ["memorySpaceId": "theirs"], caller: bound) == [])
            #expect(try await h.call("factHistory:countByAction", ["memorySpaceId": "theirs"], caller: bound)["total"] == 0.0)
            #expect(try await h.call("factHistory:getSupersessionChain", ["factId": "f"], caller: bound).items.count == 1)
            #expect(try await h.call("factHistory:getSupersessionChain", ["factId": "f"]).items.count == 2)
            #expect(try await h.call("factHistory:deleteByUserId", ["userId": "u"], caller: bound) == ["deleted": 1.0])
            #expect(try await h.call("factHistory:deleteByFactId", ["factId": "f"], caller: bound) == ["deleted": 0.0])
            #expect(try await h.call("factHistory:purgeOldEvents", ["olderThan": 100], caller: bound) == ["deleted": 0.0, "remaining": 0.0])
            #expect(try h.count("factHistory") == 2)
        }
    }
}
