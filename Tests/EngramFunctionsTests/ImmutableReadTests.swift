import EngramCore
import EngramFunctions
import Testing

/// `immutable:get`, `getVersion`, `getHistory`, `getAtTimestamp`, `list`, `search`
/// and `count`.
@Suite struct ImmutableReadTests {
    static let t0 = Double(CatalogueHarness.now)

    @Test func getReturnsTheWholeDocumentOrNull() async throws {
        try await CatalogueHarness.with { h in
            let stored = try await ImmutableWriteTests.store(h, "kb", "a1", [1, 2])
            #expect(try await h.call("immutable:get", ["type": "kb", "id": "a1"]) == stored)
            #expect(try await h.call("immutable:get", ["type": "kb", "id": "zz"]) == .null)
            #expect(try await h.call("immutable:get", ["type": "other", "id": "a1"]) == .null)
        }
    }

    @Test func getVersionReturnsVersionViews() async throws {
        try await CatalogueHarness.with { h in
            _ = try await ImmutableWriteTests.store(h, "kb", "a1", ["one", "two"], extra: ["userId": "u1", "metadata": ["m": 1]])
            let current = try await h.call("immutable:getVersion", ["type": "kb", "id": "a1", "version": 2])
            #expect(current == [
                "type": "kb", "id": "a1", "version": 2, "data": "two", "userId": "u1", "metadata": ["m": 1],
                "timestamp": .double(Self.t0 + 10), "createdAt": .double(Self.t0),
            ])
            let first = try await h.call("immutable:getVersion", ["type": "kb", "id": "a1", "version": 1])
            #expect(first["data"] == "one" && first["timestamp"] == .double(Self.t0) && first["version"] == 1)
            #expect(try await h.call("immutable:getVersion", ["type": "kb", "id": "a1", "version": 3]) == .null)
            #expect(try await h.call("immutable:getVersion", ["type": "kb", "id": "a1", "version": 1.5]) == .null)
            #expect(try await h.call("immutable:getVersion", ["type": "kb", "id": "zz", "version": 1]) == .null)
            #expect(try await h.call("immutable:getVersion", ["type": "kb", "id": "a1", "version": 1, "tenantId": "t1"]) == .null)
            _ = try await ImmutableWriteTests.store(h, "kb", "b1", ["x"], from: CatalogueHarness.now + 50)
            #expect(keys(try await h.call("immutable:getVersion", ["type": "kb", "id": "b1", "version": 1])) == [
                "type", "id", "version", "data", "timestamp", "createdAt",
            ])
        }
    }

    @Test func getHistoryAndGetAtTimestampWalkTheVersions() async throws {
        try await CatalogueHarness.with { h in
            _ = try await ImmutableWriteTests.store(h, "kb", "a1", ["v1", "v2", "v3"], extra: ["tenantId": "t1"])
            let history = try await h.call("immutable:getHistory", ["type": "kb", "id": "a1"])
            #expect(items(history).map { $0["data"] } == ["v1", "v2", "v3"])
            #expect(items(history).map { $0["timestamp"] } == [.double(Self.t0), .double(Self.t0 + 10), .double(Self.t0 + 20)])
            #expect(try await h.call("immutable:getHistory", ["type": "kb", "id": "zz"]) == [])
            #expect(try await h.call("immutable:getHistory", ["type": "kb", "id": "a1"], caller: Caller(tenantId: "t2")) == [])
            func at(_ t: Double) async throws -> Value {
                try await h.call("immutable:getAtTimestamp", ["type": "kb", "id": "a1", "timestamp": .double(t)])
            }
            #expect(try await at(Self.t0 - 1) == .null)
            #expect(try await at(Self.t0)["data"] == "v1")
            #expect(try await at(Self.t0 + 15)["data"] == "v2")
            #expect(try await at(Self.t0 + 20)["data"] == "v3")
            #expect(try await at(Self.t0 + 1e9)["version"] == 3)
            _ = try await h.call("immutable:purgeVersions", ["type": "kb", "id": "a1", "keepLatest": 2])
            #expect(try await at(Self.t0 + 5)["data"] == "v2")
            #expect(try await h.call("immutable:getAtTimestamp", ["type": "kb", "id": "zz", "timestamp": 1]) == .null)
            #expect(try await h.call("immutable:getAtTimestamp", ["type": "kb", "id": "a1", "timestamp": .double(Self.t0 + 20)],
                                     caller: Caller(tenantId: "t2")) == .null)
        }
    }

    /// a (kb, u1) at t0, b (kb, u2, tenant t1) at t0+10, c (note, u1) at t0+20; a updated at t0+30.
    static func seed(_ h: CatalogueHarness) async throws {
        _ = try await ImmutableWriteTests.store(h, "kb", "a", [["title": "Alpha needle"]], extra: ["userId": "u1"])
        _ = try await ImmutableWriteTests.store(h, "kb", "b", [["title": "beta", "tags": ["needle"]]], from: CatalogueHarness.now + 10,
                                                extra: ["userId": "u2", "tenantId": "t1"])
        _ = try await ImmutableWriteTests.store(h, "note", "c", ["a NEEDLE in a string"], from: CatalogueHarness.now + 20, extra: ["userId": "u1"])
        _ = try await ImmutableWriteTests.store(h, "kb", "a", [["title": "Alpha needle", "n": 2]], from: CatalogueHarness.now + 30)
    }

    @Test func listFiltersSortsAndPages() async throws {
        try await CatalogueHarness.with { h in
            try await Self.seed(h)
            func ids(_ args: ValueMap) async throws -> [String] {
                strings(try await h.call("immutable:list", args)["entries"], "id")
            }
            let all = try await h.call("immutable:list", [:])
            #expect(keys(all) == ["entries", "total", "limit", "offset", "hasMore"])
            #expect(strings(all["entries"], "id") == ["c", "b", "a"])
            #expect(all["total"] == 3 && all["limit"] == 50 && all["offset"] == 0 && all["hasMore"] == false)
            #expect(try await ids(["sortBy": "updatedAt"]) == ["a", "c", "b"])
            #expect(try await ids(["sortOrder": "asc"]) == ["a", "b", "c"])
            #expect(try await ids(["type": "kb"]) == ["b", "a"])
            #expect(try await ids(["userId": "u1"]) == ["c", "a"])
            #expect(try await ids(["type": "kb", "userId": "u1"]) == ["a"])
            #expect(try await ids(["tenantId": "t1"]) == ["b"])
            #expect(try await ids([:]) == ["c", "b", "a"])
            #expect(try await ids(["createdAfter": .double(Self.t0), "createdBefore": .double(Self.t0 + 20)]) == ["b"])
            #expect(try await ids(["updatedAfter": .double(Self.t0 + 20)]) == ["a"])
            #expect(try await ids(["updatedBefore": .double(Self.t0 + 10)]) == [])
            let page = try await h.call("immutable:list", ["limit": 1, "offset": 1])
            #expect(strings(page["entries"], "id") == ["b"])
            #expect(page["hasMore"] == true && page["total"] == 3 && page["limit"] == 1 && page["offset"] == 1)
            #expect(try await h.call("immutable:list", ["limit": 0])["limit"] == 50)
            #expect(try await ids(["offset": -1]) == ["a"])
            #expect(strings(try await h.call("immutable:list", [:], caller: Caller(tenantId: "t1"))["entries"], "id") == ["b"])
        }
    }

    @Test func searchMatchesTheJSONTextOfData() async throws {
        try await CatalogueHarness.with { h in
            try await Self.seed(h)
            let hits = try await h.call("immutable:search", ["query": "NEEDLE"])
            #expect(items(hits).map { $0["entry"]?["id"] } == ["a", "b", "c"])
            #expect(items(hits).allSatisfy { $0["score"] == 1 && keys($0) == ["entry", "score", "highlights"] })
            #expect(items(hits).map { $0["highlights"] } == [["Alpha needle"], [], []])
            #expect(items(try await h.call("immutable:search", ["query": "title"])).count == 2)
            #expect(items(try await h.call("immutable:search", ["query": "\"a needle"])).count == 1)
            #expect(items(try await h.call("immutable:search", ["query": "needle", "type": "kb", "userId": "u2"])).count == 1)
            #expect(items(try await h.call("immutable:search", ["query": "needle", "limit": 2])).count == 2)
            #expect(items(try await h.call("immutable:search", ["query": ""])).count == 3)
            #expect(items(try await h.call("immutable:search", ["query": "needle"], caller: Caller(tenantId: "t1"))).count == 1)
        }
    }

    @Test func searchHighlightsArrayAndObjectStrings() async throws {
        try await CatalogueHarness.with { h in
            let long = String(repeating: "x", count: 35) + "Key" + String(repeating: "y", count: 35)
            _ = try await h.call("immutable:store", ["type": "t", "id": "1", "data": ["z": "key z", "10": "key 10", "2": "key 2", "a": .string(long), "b": 5]])
            _ = try await h.call("immutable:store", ["type": "t", "id": "2", "data": ["key one", ["key nested"], "key two", "key three", "key four"]])
            let hits = try await h.call("immutable:search", ["query": "key"])
            #expect(items(hits)[0]["highlights"] == ["key 2", "key 10", .string(String(repeating: "x", count: 30) + "Key" + String(repeating: "y", count: 30))])
            #expect(items(hits)[1]["highlights"] == ["key one", "key two", "key three"])
        }
    }

    @Test func countFiltersEveryTenant() async throws {
        try await CatalogueHarness.with { h in
            try await Self.seed(h)
            #expect(try await h.call("immutable:count") == 3)
            #expect(try await h.call("immutable:count", ["type": "kb"]) == 2)
            #expect(try await h.call("immutable:count", ["userId": "u1"]) == 2)
            #expect(try await h.call("immutable:count", ["type": "kb", "userId": "u2"]) == 1)
            #expect(try await h.call("immutable:count", ["createdAfter": .double(Self.t0)]) == 2)
            #expect(try await h.call("immutable:count", ["createdBefore": .double(Self.t0)]) == 0)
            #expect(try await h.call("immutable:count", ["updatedAfter": .double(Self.t0 + 25), "updatedBefore": .double(Self.t0 + 31)]) == 1)
            #expect(try await h.call("immutable:count", [:], caller: Caller(tenantId: "t1")) == 1)
        }
    }
}
