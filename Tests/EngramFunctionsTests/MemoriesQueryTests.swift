import EngramCore
import EngramFunctions
import Testing

/// `memories` reads: get, list, count, the version reads, and tenant confinement.
@Suite struct MemoriesQueryTests {
    @Test func getReturnsTheMemoryOfTheSpaceOrNull() async throws {
        try await withCatalogue { h in
            let m = try await h.storeMemory("s", "a")
            let id = m["memoryId"] ?? nil
            #expect(try await h.call("memories:get", ["memorySpaceId": "s", "memoryId": id]) == m)
            #expect(try await h.call("memories:get", ["memorySpaceId": "t", "memoryId": id]) == .null)
            #expect(try await h.call("memories:get", ["memorySpaceId": "s", "memoryId": "nope"]) == .null)
            #expect(await h.errorCode("memories:get", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:get", ["memorySpaceId": "s", "memoryId": id, "tenantId": "t"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(try h.memory(id)?["accessCount"] == 0.0)  // no access tracking
        }
    }

    @Test func lookupsByMemoryIdTakeTheOldestMatchInAnySpace() async throws {
        try await withCatalogue(shards: 3) { h in
            let (s1, s2) = h.namesInDifferentShards("space")
            let base: ValueMap = ["memoryId": "dup", "content": "x", "contentType": "raw", "sourceType": "system", "importance": 1, "tags": []]
            try await h.seed("memories", merged(base, ["memorySpaceId": .string(s1)]), now: 1000)
            try await h.seed("memories", merged(base, ["memorySpaceId": .string(s2)]), now: 2000)
            #expect(try await h.call("memories:get", ["memorySpaceId": .string(s1), "memoryId": "dup"])["memorySpaceId"] == .string(s1))
            #expect(try await h.call("memories:get", ["memorySpaceId": .string(s2), "memoryId": "dup"]) == .null)
            #expect(await h.errorCode("memories:archive", ["memorySpaceId": .string(s2), "memoryId": "dup"]) == "PERMISSION_DENIED")
        }
    }

    /// Space `s`: ten memories at 1…10 (even ones by user u, every third from source user
    /// u, 7 and 8 from tools, 9 by participant p); space `t`: one.
    func seedList(_ h: CatalogueHarness) async throws -> [Value?] {
        var ids: [Value?] = []
        for i in 1...10 {
            var extra: ValueMap = [:]
            if i % 2 == 0 { extra["userId"] = "u" }
            if i % 3 == 0 { extra["sourceUserId"] = "u" }
            if i == 7 || i == 8 { extra["sourceType"] = "tool" }
            if i == 9 { extra["participantId"] = "p" }
            ids.append(try await h.storeMemory("s", "m\(i)", at: UInt64(i), extra)["memoryId"])
        }
        try await h.storeMemory("t", "other", at: 11)
        return ids
    }

    @Test func listIsNewestFirstWithFiltersBeforeTheLimit() async throws {
        try await withCatalogue { h in
            let id = try await seedList(h)
            #expect(try await h.memoryIds("memories:list", ["memorySpaceId": "s"]) == id.reversed())
            #expect(try await h.memoryIds("memories:list", ["memorySpaceId": "s", "limit": 3]) == [id[9], id[8], id[7]])
            #expect(try await h.memoryIds("memories:list", ["memorySpaceId": "s", "limit": 0]).count == 10)  // 0 = default
            // userId matches userId only (m9 has only sourceUserId u); the page is full although m9 and m7 lie between.
            #expect(try await h.memoryIds("memories:list", ["memorySpaceId": "s", "userId": "u", "limit": 3]) == [id[9], id[7], id[5]])
            #expect(try await h.memoryIds("memories:list", ["memorySpaceId": "s", "userId": ""]).count == 10)  // "" is not set
            #expect(try await h.memoryIds("memories:list", ["memorySpaceId": "s", "sourceType": "tool"]) == [id[7], id[6]])
            #expect(try await h.memoryIds("memories:list", ["memorySpaceId": "s", "sourceType": "tool", "userId": "u"]) == [id[7]])
            // The SDK's participantId is accepted and filters.
            #expect(try await h.memoryIds("memories:list", ["memorySpaceId": "s", "participantId": "p", "limit": 1]) == [id[8]])
            #expect(try await h.memoryIds("memories:list", ["memorySpaceId": "none"]).isEmpty)
        }
    }

    @Test func listLimitsAndValidation() async throws {
        try await withCatalogue { h in
            for i in 0..<101 { try await h.storeMemory("s", "m\(i)", at: UInt64(i + 1)) }
            #expect(try await h.call("memories:list", ["memorySpaceId": "s"]).items.count == 100)
            #expect(try await h.call("memories:list", ["memorySpaceId": "s", "limit": 1000]).items.count == 101)
            for bad: Value in [-1, 1.5] {
                let e = await h.error("memories:list", ["memorySpaceId": "s", "limit": bad])
                #expect(e?.code == .functionError)
                #expect(e?.message == "Arg 1 `n` to `take` must be a non-negative integer")
            }
            #expect(await h.errorCode("memories:list", ["memorySpaceId": "s", "sourceType": "Tool"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:list", ["memorySpaceId": "s", "sourceType": "fact-extraction"]) == nil)
            #expect(await h.errorCode("memories:list", ["memorySpaceId": "s", "enrichFacts": true]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:list", ["memorySpaceId": "s", "limit": nil, "userId": nil, "participantId": nil]) == nil)
            #expect(await h.errorCode("memories:list", [:]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func countAppliesTheSameFilters() async throws {
        try await withCatalogue { h in
            let id = try await seedList(h)
            #expect(try await h.call("memories:count", ["memorySpaceId": "s"]) == 10.0)
            #expect(try await h.call("memories:count", ["memorySpaceId": "s", "userId": "u"]) == 5.0)
            #expect(try await h.call("memories:count", ["memorySpaceId": "s", "sourceType": "system"]) == 8.0)
            #expect(try await h.call("memories:count", ["memorySpaceId": "s", "participantId": "p"]) == 1.0)
            #expect(try await h.call("memories:count", ["memorySpaceId": "none"]) == 0.0)
            try await h.call("memories:archive", ["memorySpaceId": "s", "memoryId": id[0] ?? nil])
            #expect(try await h.call("memories:count", ["memorySpaceId": "s"]) == 10.0)  // archived still counted
            #expect(await h.errorCode("memories:count", ["memorySpaceId": "s", "limit": 1]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    /// A memory with content a (t=1000, embedding [1]), b (t=2000, no change of
    /// embedding) and c (t=3000).
    func seedVersions(_ h: CatalogueHarness) async throws -> Value {
        let id = try await h.storeMemory("s", "a", at: 1000, ["embedding": [1]])["memoryId"] ?? .null
        h.fixedNow = 2000
        try await h.call("memories:update", ["memorySpaceId": "s", "memoryId": id, "content": "b"])
        h.fixedNow = 3000
        try await h.call("memories:update", ["memorySpaceId": "s", "memoryId": id, "content": "c", "embedding": [2]])
        return id
    }

    @Test func getVersionAndGetHistoryProjectEachVersion() async throws {
        try await withCatalogue { h in
            let id = try await seedVersions(h)
            let args: ValueMap = ["memorySpaceId": "s", "memoryId": id]
            let v1 = try await h.call("memories:getVersion", merged(args, ["version": 1]))
            #expect(v1.keyList == ["memoryId", "version", "content", "embedding", "timestamp"])
            #expect(v1 == ["memoryId": id, "version": 1.0, "content": "a", "embedding": [1.0], "timestamp": 1000.0])
            #expect(try await h.call("memories:getVersion", merged(args, ["version": 3])) ==
                ["memoryId": id, "version": 3.0, "content": "c", "embedding": [2.0], "timestamp": 3000.0])
            #expect(try await h.call("memories:getVersion", merged(args, ["version": 4])) == .null)
            #expect(try await h.call("memories:getVersion", merged(args, ["version": 1.5])) == .null)
            #expect(try await h.call("memories:getVersion", ["memorySpaceId": "t", "memoryId": id, "version": 1]) == .null)
            #expect(await h.errorCode("memories:getVersion", args) == "ARGUMENT_VALIDATION_ERROR")
            let history = try await h.call("memories:getHistory", args)
            #expect(history.items.map { $0["content"] } == ["a", "b", "c"])
            #expect(history.items.map { $0["timestamp"] } == [1000.0, 2000.0, 3000.0])
            #expect(history.items.first == v1)
            #expect(try await h.call("memories:getHistory", ["memorySpaceId": "t", "memoryId": id]) == [])
            #expect(try await h.call("memories:getHistory", ["memorySpaceId": "s", "memoryId": "nope"]) == [])
            let plain = try await h.storeMemory("s", "p", at: 5000)
            let single = try await h.call("memories:getHistory", ["memorySpaceId": "s", "memoryId": plain["memoryId"] ?? nil])
            #expect(single == [["memoryId": plain["memoryId"] ?? nil, "version": 1.0, "content": "p", "timestamp": 5000.0]])
        }
    }

    @Test func getAtTimestampFollowsTheReferenceAlgorithm() async throws {
        try await withCatalogue { h in
            let id = try await seedVersions(h)
            func at(_ t: Double) async throws -> Value? {
                let r = try await h.call("memories:getAtTimestamp", ["memorySpaceId": "s", "memoryId": id, "timestamp": .double(t)])
                return r == .null ? nil : r["content"]
            }
            #expect(try await at(9999) == "c")
            #expect(try await at(3000) == "c")
            #expect(try await at(2999) == "b")
            #expect(try await at(2000) == "b")
            #expect(try await at(1500) == "a")
            #expect(try await at(1000) == "a")
            #expect(try await at(999) == nil)
            #expect(try await at(.nan) == nil)
            let current = try await h.call("memories:getAtTimestamp", ["memorySpaceId": "s", "memoryId": id, "timestamp": 5000])
            #expect(current == ["memoryId": id, "version": 3.0, "content": "c", "embedding": [2.0], "timestamp": 3000.0])
            // Writes that do not version still move updatedAt: the algorithm is kept as is.
            h.fixedNow = 4000
            try await h.call("memories:archive", ["memorySpaceId": "s", "memoryId": id])
            #expect(try await at(3500) == "b")
            #expect(try await h.call("memories:getAtTimestamp", ["memorySpaceId": "t", "memoryId": id, "timestamp": 5000]) == .null)
            // A memory created after its first version's timestamp (seeded) has a gap: null.
            try await h.seed(
                "memories",
                ["memoryId": "gap", "memorySpaceId": "s", "content": "now", "version": 2, "createdAt": 100, "updatedAt": 300,
                 "previousVersions": [["version": 1, "content": "then", "timestamp": 200]]])
            let gap = try await h.call("memories:getAtTimestamp", ["memorySpaceId": "s", "memoryId": "gap", "timestamp": 150])
            #expect(gap == .null)
        }
    }

    @Test func aTenantBoundKeySeesOnlyItsTenantsMemories() async throws {
        try await withCatalogue { h in
            let t1 = Caller(tenantId: "t1"), t2 = Caller(tenantId: "t2")
            let mine = try await h.storeMemory("s", "mine", at: 1, caller: t1)
            let theirs = try await h.storeMemory("s", "theirs", at: 2, caller: t2)
            let global = try await h.storeMemory("s", "global", at: 3)
            #expect(try await h.memoryIds("memories:list", ["memorySpaceId": "s"], caller: t1) == [mine["memoryId"]])
            #expect(try await h.memoryIds("memories:list", ["memorySpaceId": "s"]).count == 3)
            #expect(try await h.call("memories:count", ["memorySpaceId": "s"], caller: t1) == 1.0)
            #expect(try await h.call("memories:get", ["memorySpaceId": "s", "memoryId": theirs["memoryId"] ?? nil], caller: t1) == .null)
            #expect(try await h.call("memories:get", ["memorySpaceId": "s", "memoryId": global["memoryId"] ?? nil], caller: t1) == .null)
            for name in ["memories:update", "memories:deleteMemory", "memories:archive", "memories:restoreFromArchive"] {
                #expect(await h.errorCode(name, ["memorySpaceId": "s", "memoryId": theirs["memoryId"] ?? nil], caller: t1) == "MEMORY_NOT_FOUND")
            }
            #expect(try await h.call("memories:getHistory", ["memorySpaceId": "s", "memoryId": theirs["memoryId"] ?? nil], caller: t1) == [])
            let byIds = try await h.call("memories:deleteByIds", ["memoryIds": [theirs["memoryId"] ?? nil, global["memoryId"] ?? nil]], caller: t1)
            #expect(byIds["deleted"] == 0.0)
            let many = try await h.call("memories:deleteMany", ["memorySpaceId": "s"], caller: t1)
            #expect(many["memoryIds"] == [mine["memoryId"] ?? nil])
            #expect(try h.count("memories") == 2)
            let purged = try await h.call("memories:purgeAll", [:], caller: t2)
            #expect(purged == ["deleted": 1.0])
            #expect(try h.memory(global["memoryId"]) != nil)
        }
    }
}
