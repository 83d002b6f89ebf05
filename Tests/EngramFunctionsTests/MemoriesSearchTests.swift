import EngramCore
import EngramFunctions
import Testing

/// `memories:search`: semantic mode (cosine, weighting, minScore, limits), keyword
/// mode, filters applied exactly and before the limit, and shard independence.
///
/// The keyword tests hold for any relevance ranking with the contract's matching
/// rule; only the tie and single-term orders they check are the contract's too.
@Suite struct MemoriesSearchTests {
    /// A deterministic pseudo-random vector generator (64-bit LCG).
    struct Vectors {
        var state: UInt64
        mutating func next(_ dimensions: Int) -> [Double] {
            (0..<dimensions).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Double(state >> 11) / Double(1 << 53) * 2 - 1
            }
        }
    }

    /// Cosine similarity, written independently of the code under test.
    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).map { $0 * $1 }.reduce(0, +)
        let na = a.map { $0 * $0 }.reduce(0, +).squareRoot(), nb = b.map { $0 * $0 }.reduce(0, +).squareRoot()
        return na * nb == 0 ? 0 : dot / (na * nb)
    }

    static func vector(_ xs: [Double]) -> Value { .array(xs.map { .double($0) }) }

    func search(_ h: CatalogueHarness, _ args: ValueMap, caller: Caller = .unbound) async throws -> [Value] {
        var all: ValueMap = ["memorySpaceId": "s", "query": "q"]
        for (k, v) in args { all[k] = v }
        return try await h.call("memories:search", all, caller: caller).items
    }

    @Test func semanticSearchFindsTheKnownNearestNeighbours() async throws {
        try await withCatalogue { h in
            var gen = Vectors(state: 42)
            var stored: [(id: Value?, embedding: [Double])] = []
            for i in 0..<40 {
                let e = gen.next(8)
                stored.append((try await h.storeMemory("s", "m\(i)", at: UInt64(i + 1), ["embedding": Self.vector(e)])["memoryId"], e))
            }
            try await h.storeMemory("t", "other space", ["embedding": Self.vector(stored[0].embedding)])
            for _ in 0..<5 {
                let q = gen.next(8)
                let expected = stored.map { ($0.id, Self.cosine(q, $0.embedding)) }.filter { $0.1 >= 0 }
                    .sorted { $0.1 > $1.1 }.prefix(5)
                let found = try await search(h, ["embedding": Self.vector(q), "limit": 5])
                #expect(found.map { $0["memoryId"] } == expected.map { $0.0 })
                for (hit, want) in zip(found, expected) {
                    #expect(abs((hit["_score"]?.doubleValue ?? -1) - want.1) < 1e-12)
                }
            }
            let all = try await search(h, ["embedding": Self.vector(gen.next(8))])
            #expect(all.count == 20)  // the default limit
            #expect(all.allSatisfy { ($0["_score"]?.doubleValue ?? -1) >= 0 })
            #expect(Set(all.map { $0.keyList.last }) == ["_score"])
        }
    }

    @Test func scoresFollowTheContractsCosineAndDropNegatives() async throws {
        try await withCatalogue { h in
            let same = try await h.storeMemory("s", "same", at: 1, ["embedding": [3, 4]])
            let orthogonal = try await h.storeMemory("s", "orthogonal", at: 2, ["embedding": [-4, 3]])
            try await h.storeMemory("s", "opposite", at: 3, ["embedding": [-3, -4]])
            let zero = try await h.storeMemory("s", "zero", at: 4, ["embedding": [0, 0]])
            try await h.storeMemory("s", "longer", at: 5, ["embedding": [3, 4, 0]])
            try await h.storeMemory("s", "empty", at: 6, ["embedding": []])
            try await h.storeMemory("s", "none", at: 7)
            let hits = try await search(h, ["embedding": [6, 8]])
            #expect(hits.map { $0["memoryId"] } == [same["memoryId"], orthogonal["memoryId"], zero["memoryId"]])
            #expect(hits.map { $0["_score"] } == [1.0, 0.0, 0.0])  // ties keep the oldest first
            #expect(hits[0].keyList == Array(requiredMemoryKeys.prefix(6)) + ["embedding"] + Array(requiredMemoryKeys.dropFirst(6)) + ["_score"])
            // A zero query scores every same-length memory 0 (the denominator is 0).
            #expect(try await search(h, ["embedding": [0, 0]]).map { $0["_score"] } == [0.0, 0.0, 0.0, 0.0])
            // An empty embedding means keyword mode: no score.
            let keyword = try await search(h, ["embedding": [], "query": "same"])
            #expect(keyword.map { $0["memoryId"] } == [same["memoryId"]])
            #expect(keyword.first?["_score"] == nil)
        }
    }

    @Test func weightingReordersTheTopCandidates() async throws {
        try await withCatalogue { h in
            let role = try await h.storeMemory("s", "from the user", at: 1, ["embedding": [1, 0], "messageRole": "user"])
            let ack = try await h.storeMemory("s", "Got it, I'll remember that!", at: 2, ["embedding": [1, 0], "messageRole": "agent"])
            let long = try await h.storeMemory(
                "s", "Understood. Here is a very long agent answer that goes well beyond sixty characters.", at: 3,
                ["embedding": [1, 0], "messageRole": "agent"])
            let category = try await h.storeMemory("s", "c", at: 4, ["embedding": [1, 0], "factCategory": "pref"])
            let enriched = try await h.storeMemory("s", "e", at: 5, ["embedding": [1, 0], "enrichedContent": "more"])
            let all = try await h.storeMemory(
                "s", "all", at: 6, ["embedding": [1, 0], "messageRole": "user", "factCategory": "pref", "enrichedContent": "x"])
            let hits = try await search(h, ["embedding": [2, 0], "queryCategory": "pref"])
            func score(_ m: Value) -> Double? { hits.first { $0["memoryId"] == m["memoryId"] }?["_score"]?.doubleValue }
            #expect(score(role) == 1.25)
            #expect(score(ack) == 0.5)
            #expect(score(long) == 1.0)
            #expect(score(category) == 1.3)
            #expect(score(enriched) == 1.0 * 1.1)
            #expect(score(all) == 1.0 * 1.25 * 1.3 * 1.1)  // the maximum, 1.7875
            #expect(hits.map { $0["memoryId"] } == [all, category, role, enriched, long, ack].map { $0["memoryId"] })
            // Without queryCategory there is no category boost.
            let plain = try await search(h, ["embedding": [2, 0]])
            #expect(plain.first { $0["memoryId"] == category["memoryId"] }?["_score"] == 1.0)
            // Weighting only reorders the raw top L: a weaker user memory outside it is not pulled in.
            let near = try await h.storeMemory("s", "ok", at: 7, ["embedding": [0.8, 0.6], "messageRole": "agent"])
            let far = try await h.storeMemory("s", "far", at: 8, ["embedding": [0.6, 0.8], "messageRole": "user"])
            let top = try await search(h, ["embedding": [0.8, 0.6], "limit": 1])
            #expect(top.map { $0["memoryId"] } == [near["memoryId"]])
            #expect(!top.contains { $0["memoryId"] == far["memoryId"] })
        }
    }

    @Test func minScoreAndOddLimits() async throws {
        try await withCatalogue { h in
            let a = try await h.storeMemory("s", "a", at: 1, ["embedding": [1, 0]])
            let b = try await h.storeMemory("s", "b", at: 2, ["embedding": [0.6, 0.8]])
            let c = try await h.storeMemory("s", "c", at: 3, ["embedding": [0, 1]])
            let q: Value = [1, 0]
            #expect(try await search(h, ["embedding": q, "minScore": 0.6]).map { $0["memoryId"] } == [a["memoryId"], b["memoryId"]])
            #expect(try await search(h, ["embedding": q, "minScore": 0.61]).map { $0["memoryId"] } == [a["memoryId"]])
            #expect(try await search(h, ["embedding": q, "minScore": 2]).isEmpty)
            #expect(try await search(h, ["embedding": q, "limit": 0]).count == 3)  // 0 = default
            #expect(try await search(h, ["embedding": q, "limit": 1.5]).map { $0["memoryId"] } == [a["memoryId"]])
            // A negative limit slices from the end, twice (candidates, then results).
            #expect(try await search(h, ["embedding": q, "limit": -1]).map { $0["memoryId"] } == [a["memoryId"]])
            #expect(try await search(h, ["embedding": q, "limit": 0.5]).isEmpty)
            _ = c
        }
    }

    @Test func filtersAreExactAndApplyBeforeTheLimit() async throws {
        try await withCatalogue { h in
            // Ten close memories of nobody, then two far ones per filter.
            for i in 0..<10 { try await h.storeMemory("s", "close \(i)", at: UInt64(i + 1), ["embedding": [1, .double(0.01 * Double(i))]]) }
            let u1 = try await h.storeMemory("s", "u1", at: 20, ["embedding": [0.2, 1], "userId": "u"])
            let u2 = try await h.storeMemory("s", "u2", at: 21, ["embedding": [0.1, 1], "sourceUserId": "u", "tags": ["k"]])
            let tool = try await h.storeMemory("s", "tool", at: 22, ["embedding": [0.3, 1], "sourceType": "tool", "importance": 90])
            let q: Value = [1, 0]
            func ids(_ extra: ValueMap) async throws -> [Value?] {
                var args: ValueMap = ["embedding": q, "limit": 2]
                for (k, v) in extra { args[k] = v }
                return try await search(h, args).map { $0["memoryId"] }
            }
            #expect(try await ids(["userId": "u"]) == [u1["memoryId"], u2["memoryId"]])  // userId or sourceUserId
            #expect(try await ids(["tags": ["k", "nope"]]) == [u2["memoryId"]])
            #expect(try await ids(["tags": []]).count == 2)  // an empty list does not filter
            #expect(try await ids(["sourceType": "tool"]) == [tool["memoryId"]])
            #expect(try await ids(["minImportance": 60]) == [tool["memoryId"]])
            #expect(try await ids(["minImportance": 90]) == [tool["memoryId"]])
            #expect(try await ids(["userId": "u", "tags": ["k"]]) == [u2["memoryId"]])
            #expect(try await ids(["userId": ""]).count == 2)  // "" is not set
            // Keyword mode filters before its limit too.
            #expect(try await search(h, ["query": "u1 u2 tool close", "userId": "u", "limit": 1]).count == 1)
            #expect(Set(try await search(h, ["query": "u1 u2 close", "userId": "u", "limit": 5]).map { $0["memoryId"] })
                == [u1["memoryId"], u2["memoryId"]])
            #expect(await h.errorCode("memories:search", ["memorySpaceId": "s", "query": "x", "sourceType": "fact-extraction"])
                == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:search", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:search", ["memorySpaceId": "s", "query": "x", "participantId": "p"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:search", ["memorySpaceId": "s", "query": "x", "embedding": nil, "tags": nil]) == nil)
        }
    }

    @Test func keywordSearchMatchesAnyTermAndTheLastAsAPrefix() async throws {
        try await withCatalogue { h in
            let a = try await h.storeMemory("s", "Ann likes green tea", at: 1)
            let b = try await h.storeMemory("s", "Bob drinks coffee", at: 2)
            let c = try await h.storeMemory("s", "Teapots are NICE", at: 3)
            let d = try await h.storeMemory("s", "tea, tea and more TEA", at: 4)
            try await h.storeMemory("t", "tea elsewhere", at: 5)
            func ids(_ query: String, _ extra: ValueMap = [:]) async throws -> [Value?] {
                var args: ValueMap = ["query": .string(query)]
                for (k, v) in extra { args[k] = v }
                return try await search(h, args).map { $0["memoryId"] }
            }
            #expect(Set(try await ids("tea")) == [a["memoryId"], c["memoryId"], d["memoryId"]])  // "Teapots" by prefix
            #expect(Set(try await ids("TEA")) == [a["memoryId"], c["memoryId"], d["memoryId"]])
            #expect(try await ids("coffee") == [b["memoryId"]])
            #expect(Set(try await ids("coffee tea")) == [a["memoryId"], b["memoryId"], c["memoryId"], d["memoryId"]])
            #expect(Set(try await ids("tea coff")) == [a["memoryId"], b["memoryId"], d["memoryId"]])  // "tea" is no prefix now
            #expect(try await ids("te coffee") == [b["memoryId"]])
            #expect(try await ids("ea").isEmpty)
            #expect(try await ids("").isEmpty)
            #expect(try await ids(" ,;! ").isEmpty)
            #expect(try await ids("nice teapots") == [c["memoryId"]])
            // Equal relevance: newest first.
            #expect(try await ids("likes drinks") == [b["memoryId"], a["memoryId"]])
            #expect(try await ids("tea", ["limit": 1]).count == 1)
            let hit = try await search(h, ["query": "coffee"])
            #expect(hit == [b])  // the document, no score
            for bad: Value in [-1, 2.5] {
                let e = await h.error("memories:search", ["memorySpaceId": "s", "query": "tea", "limit": bad])
                #expect(e?.code == .functionError)
                #expect(e?.message == "Arg 1 `n` to `take` must be a non-negative integer")
            }
            // The query is ignored in semantic mode.
            try await h.storeMemory("s", "vector", at: 6, ["embedding": [1]])
            #expect(try await search(h, ["query": "tea", "embedding": [1]]).count == 1)
        }
    }

    @Test func searchIsConfinedToABoundTenant() async throws {
        try await withCatalogue { h in
            let mine = try await h.storeMemory("s", "tea here", ["embedding": [1, 0]], caller: Caller(tenantId: "t1"))
            try await h.storeMemory("s", "tea there", ["embedding": [1, 0]], caller: Caller(tenantId: "t2"))
            try await h.storeMemory("s", "tea global", ["embedding": [1, 0]])
            let semantic = try await search(h, ["embedding": [1, 0]], caller: Caller(tenantId: "t1"))
            #expect(semantic.map { $0["memoryId"] } == [mine["memoryId"]])
            let keyword = try await search(h, ["query": "tea"], caller: Caller(tenantId: "t1"))
            #expect(keyword.map { $0["memoryId"] } == [mine["memoryId"]])
            #expect(try await search(h, ["embedding": [1, 0]]).count == 3)
        }
    }

    /// The same writes and reads with `shards` shards; returns what the reads saw.
    func scenario(shards: Int) async throws -> [String] {
        var out: [String] = []
        try await withCatalogue(shards: shards) { h in
            var gen = Vectors(state: 7)
            for space in ["a", "b", "c", "d"] {
                for i in 0..<12 {
                    try await h.storeMemory(
                        space, "word\(i % 3) text \(i)", at: UInt64(i + 1),
                        ["embedding": Self.vector(gen.next(4)), "userId": i % 2 == 0 ? "u" : "v", "tags": i % 4 == 0 ? ["k"] : []])
                }
            }
            for space in ["a", "b", "c", "d"] {
                let base: ValueMap = ["memorySpaceId": .string(space), "query": "word1 text"]
                for extra: ValueMap in [["embedding": Self.vector(gen.next(4)), "limit": 5], ["userId": "u", "limit": 3], ["tags": ["k"]]] {
                    let hits = try await h.call("memories:search", merged(base, extra)).items
                    out.append(hits.map { "\($0["content"]?.stringValue ?? "")@\($0["_score"]?.doubleValue ?? -1)" }.joined(separator: ","))
                }
                out.append(try await h.call("memories:list", ["memorySpaceId": .string(space), "userId": "v", "limit": 4])
                    .items.compactMap { $0["content"]?.stringValue }.joined(separator: ","))
                out.append("\(try await h.call("memories:count", ["memorySpaceId": .string(space), "userId": "u"]).doubleValue ?? -1)")
            }
        }
        return out
    }

    @Test func resultsAreTheSameWithOneAndFourShards() async throws {
        let one = try await scenario(shards: 1), four = try await scenario(shards: 4)
        #expect(one == four)
        #expect(one.count == 20)
        #expect(!one[0].isEmpty)
    }
}
