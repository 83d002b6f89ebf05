import EngramCore
import EngramFunctions
import Testing

/// Engram's `hybrid` extension of `memories:search`, on a constructed known-item set
/// where each ranking alone puts a decoy first for half of the queries.
@Suite struct MemoriesHybridTests {
    static let words = ["amber", "birch", "cobalt", "dune", "ember", "fjord"]

    /// A unit vector along axis `i` of 8, plus `tilt` along axis 7.
    static func axis(_ i: Int, tilt: Double = 0, sign: Double = 1) -> Value {
        .array((0..<8).map { .double($0 == i ? sign : $0 == 7 ? tilt : 0) })
    }

    /// Known items 0…5: the target of query i holds word i once and an embedding near
    /// axis i. For i < 3 a vector decoy sits exactly on axis i (vector search ranks it
    /// first) with unrelated text; for i ≥ 3 a text decoy repeats the query's words
    /// (BM25 ranks it first) with an opposite embedding.
    func populate(_ h: CatalogueHarness) async throws -> [Value?] {
        var targets: [Value?] = []
        for (i, w) in Self.words.enumerated() {
            let target = try await h.storeMemory(
                "s", "notes on the \(w) project and several other unrelated things", at: UInt64(10 * i + 1),
                ["embedding": Self.axis(i, tilt: 0.3)])
            targets.append(target["memoryId"])
            if i < 3 {
                try await h.storeMemory("s", "filler text without shared words", at: UInt64(10 * i + 2), ["embedding": Self.axis(i)])
            } else {
                try await h.storeMemory("s", "\(w) \(w) \(w) project project", at: UInt64(10 * i + 2), ["embedding": Self.axis(i, sign: -1)])
            }
        }
        return targets
    }

    func meanReciprocalRank(_ h: CatalogueHarness, _ targets: [Value?], _ mode: ValueMap) async throws -> Double {
        var total = 0.0
        for (i, w) in Self.words.enumerated() {
            var args: ValueMap = ["memorySpaceId": "s", "query": .string("\(w) project"), "limit": 10]
            for (k, v) in mode { args[k] = v }
            if mode["embedding"] != nil { args["embedding"] = Self.axis(i) }
            let ids = try await h.call("memories:search", args).items.map { $0["memoryId"] }
            if let rank = ids.firstIndex(of: targets[i]) { total += 1 / Double(rank + 1) }
        }
        return total / Double(Self.words.count)
    }

    @Test func hybridBeatsEitherRankingAlone() async throws {
        try await withCatalogue { h in
            let targets = try await populate(h)
            let text = try await meanReciprocalRank(h, targets, [:])
            let vector = try await meanReciprocalRank(h, targets, ["embedding": .null])
            let hybrid = try await meanReciprocalRank(h, targets, ["embedding": .null, "hybrid": [:]])
            let weighted = try await meanReciprocalRank(h, targets, ["embedding": .null, "hybrid": ["fusion": "weighted", "alpha": 0.5]])
            #expect(text == 0.75)
            #expect(vector == 0.75)
            #expect(hybrid == 1)
            #expect(weighted > max(text, vector))
        }
    }

    @Test func hybridResultsReportTheirParts() async throws {
        try await withCatalogue { h in
            _ = try await populate(h)
            let hits = try await h.call(
                "memories:search", ["memorySpaceId": "s", "query": "amber project", "embedding": Self.axis(0), "hybrid": [:], "limit": 3]
            ).items
            #expect(hits.count == 3)
            let first = hits[0]
            #expect(first["_vectorScore"]?.doubleValue != nil)
            #expect(first["_textScore"]?.doubleValue != nil)
            #expect(abs((first["_score"]?.doubleValue ?? 0) - (1.0 / 61 + 1.0 / 62)) < 1e-12)
            let scores = hits.compactMap { $0["_score"]?.doubleValue }
            #expect(scores == scores.sorted(by: >))
            // Bad fusion parameters are argument errors, named.
            await #expect(throws: (any Error).self) {
                try await h.call("memories:search", ["memorySpaceId": "s", "query": "amber", "embedding": Self.axis(0), "hybrid": ["fusion": "max"]])
            }
        }
    }
}
