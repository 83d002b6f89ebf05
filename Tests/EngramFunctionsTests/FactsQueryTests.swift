import EngramCore
import EngramFunctions
import Testing

/// `facts` reads: get, list and count with the standard filters, sorting and paging,
/// queryBySubject, queryByRelationship, findByStructure, getHistory.
@Suite struct FactsQueryTests {
    /// Six facts of space `s` (plus one in `t`), created at 100, 200, …; `f5` superseded by `f6`.
    func seed(_ h: CatalogueHarness) async throws -> [Value] {
        var out: [Value] = []
        let specs: [ValueMap] = [
            ["subject": "ann", "predicate": "likes", "object": "tea", "userId": "u1", "factType": "preference",
             "confidence": 90, "tags": ["food", "drink"], "metadata": ["k": "v", "n": 1], "validFrom": 150, "tenantId": "t1"],
            ["subject": "ann", "predicate": "lives_in", "object": "Oslo", "userId": "u2", "participantId": "bot",
             "confidence": 60, "tags": ["place"], "sourceType": "conversation", "validUntil": 500],
            ["subject": "Ann", "predicate": "likes", "object": "", "confidence": 75, "tags": ["drink"], "metadata": ["k": "w"]],
            ["subject": "bob", "confidence": 60, "metadata": ["k": "v", "deep": ["a": 1]], "tenantId": "t2"],
            ["confidence": 10, "tags": ["food"]],
        ]
        for (i, extra) in specs.enumerated() { out.append(try await h.storeFact("s", "fact \(i + 1)", at: UInt64(100 * (i + 1)), extra)) }
        h.fixedNow = 700
        out.append(try await h.call("facts:update", ["memorySpaceId": "s", "factId": out[4]["factId"] ?? nil, "confidence": 20]))
        try await h.storeFact("t", "elsewhere", at: 800)
        return out
    }

    @Test func getReturnsTheFactOfItsSpaceAndTenant() async throws {
        try await withCatalogue { h in
            let f = try await seed(h)
            let id = f[0]["factId"] ?? nil
            let got = try await h.call("facts:get", ["memorySpaceId": "s", "factId": id])
            #expect(got == f[0])
            #expect(try await h.call("facts:get", ["memorySpaceId": "t", "factId": id]) == .null)
            #expect(try await h.call("facts:get", ["memorySpaceId": "s", "factId": "fact-none"]) == .null)
            #expect(try await h.call("facts:get", ["memorySpaceId": "s", "factId": id, "tenantId": "t1"]) == f[0])
            #expect(try await h.call("facts:get", ["memorySpaceId": "s", "factId": id, "tenantId": "t2"]) == .null)
            #expect(try await h.call("facts:get", ["memorySpaceId": "s", "factId": f[1]["factId"] ?? nil, "tenantId": "t1"]) == .null)
            #expect(try await h.call("facts:get", ["memorySpaceId": "s", "factId": id, "tenantId": ""]) == f[0])
            // Superseded facts are returned.
            #expect(try await h.call("facts:get", ["memorySpaceId": "s", "factId": f[4]["factId"] ?? nil])["supersededBy"] == f[5]["factId"])
            #expect(await h.errorCode("facts:get", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:get", ["memorySpaceId": "s", "factId": id], caller: Caller(tenantId: "t2")) == nil)
            #expect(try await h.call("facts:get", ["memorySpaceId": "s", "factId": id], caller: Caller(tenantId: "t2")) == .null)
        }
    }

    @Test func listAppliesEveryStandardFilter() async throws {
        try await withCatalogue { h in
            let f = try await seed(h)
            func list(_ extra: ValueMap) async throws -> [Value?] {
                var args: ValueMap = ["memorySpaceId": "s"]
                for (k, v) in extra { args[k] = v }
                return try await h.ids("facts:list", args)
            }
            let id = f.map { $0["factId"] ?? nil }
            #expect(try await list([:]) == [id[0], id[1], id[2], id[3], id[5]])
            #expect(try await list(["includeSuperseded": true]) == [id[0], id[1], id[2], id[3], id[4], id[5]])
            #expect(try await list(["includeSuperseded": false]).count == 5)
            #expect(try await list(["tenantId": "t1"]) == [id[0]])
            #expect(try await list(["tenantId": ""]).count == 5)
            #expect(try await list(["factType": "preference"]) == [id[0]])
            #expect(try await list(["subject": "ann"]) == [id[0], id[1]])
            #expect(try await list(["predicate": "likes"]) == [id[0], id[2]])
            #expect(try await list(["object": ""]) == [id[2]])  // absent never equals ""
            #expect(try await list(["userId": "u2"]) == [id[1]])
            #expect(try await list(["participantId": "bot"]) == [id[1]])
            #expect(try await list(["minConfidence": 75]) == [id[0], id[2]])
            #expect(try await list(["confidence": 60]) == [id[1], id[3]])
            #expect(try await list(["sourceType": "conversation"]) == [id[1]])
            #expect(try await list(["tags": ["drink", "place"]]) == [id[0], id[1], id[2]])
            #expect(try await list(["tags": ["drink", "food"], "tagMatch": "all"]) == [id[0]])
            #expect(try await list(["tags": []]).count == 5)
            #expect(try await list(["createdAfter": 200, "createdBefore": 400]) == [id[1], id[2], id[3]])
            #expect(try await list(["updatedAfter": 700]) == [id[5]])
            #expect(try await list(["updatedBefore": 100]) == [id[0]])
            #expect(try await list(["version": 2]) == [id[5]])
            // validAt: f1 valid from 150; f2 until 500 (exclusive); others from their creation.
            #expect(try await list(["validAt": 120]).isEmpty)  // every fact is valid from its creation
            #expect(try await list(["validAt": 160]) == [id[0]])
            #expect(try await list(["validAt": 500]) == [id[0], id[2], id[3], id[5]])
            #expect(try await list(["validAt": 450]) == [id[0], id[1], id[2], id[3]])
        }
    }

    @Test func listMetadataFilterHasTheReferencesSemantics() async throws {
        try await withCatalogue { h in
            let f = try await seed(h)
            let id = f.map { $0["factId"] ?? nil }
            func list(_ metadata: Value, _ extra: ValueMap = [:]) async throws -> [Value?] {
                var args: ValueMap = ["memorySpaceId": "s", "metadata": metadata]
                for (k, v) in extra { args[k] = v }
                return try await h.ids("facts:list", args)
            }
            #expect(try await list(["k": "v"]) == [id[0], id[3]])
            #expect(try await list(["k": "v", "n": 1]) == [id[0]])
            #expect(try await list(["n": "1"]).isEmpty)  // strict equality
            #expect(try await list(["deep": ["a": 1]]).isEmpty)  // objects never match
            #expect(try await list(.map([:])) == [id[0], id[2], id[3]])
            #expect(try await list(5) == [id[0], id[2], id[3]])  // a number has no own keys
            let e = await h.error("facts:list", ["memorySpaceId": "s", "metadata": nil])
            #expect(e?.code.rawValue == "FUNCTION_ERROR")
            #expect(e?.message == "Cannot convert undefined or null to object")
            // No error when no remaining candidate has truthy metadata.
            #expect(try await list(.null, ["subject": "ann", "predicate": "lives_in"]).isEmpty)
            #expect(await h.errorCode("facts:count", ["memorySpaceId": "s", "metadata": nil]) == "FUNCTION_ERROR")
        }
    }

    @Test func listSortsAndPages() async throws {
        try await withCatalogue { h in
            let f = try await seed(h)
            let id = f.map { $0["factId"] ?? nil }
            func list(_ extra: ValueMap) async throws -> [Value?] {
                var args: ValueMap = ["memorySpaceId": "s"]
                for (k, v) in extra { args[k] = v }
                return try await h.ids("facts:list", args)
            }
            #expect(try await list(["sortBy": "confidence"]) == [id[0], id[2], id[1], id[3], id[5]])  // desc, stable
            #expect(try await list(["sortBy": "confidence", "sortOrder": "asc"]) == [id[5], id[1], id[3], id[2], id[0]])
            #expect(try await list(["sortBy": "createdAt", "sortOrder": "desc"]) == [id[5], id[3], id[2], id[1], id[0]])
            #expect(try await list(["sortBy": "updatedAt"]) == [id[5], id[3], id[2], id[1], id[0]])
            #expect(try await list(["sortBy": "fact"]) == [id[0], id[1], id[2], id[3], id[5]])  // ignored
            #expect(try await list(["sortOrder": "asc"]) == [id[0], id[1], id[2], id[3], id[5]])
            #expect(try await list(["limit": 2]) == [id[0], id[1]])
            #expect(try await list(["limit": 2, "offset": 2]) == [id[2], id[3]])
            #expect(try await list(["offset": 3]) == [id[3], id[5]])
            #expect(try await list(["limit": 0]).isEmpty)
            #expect(try await list(["offset": -2]) == [id[3], id[5]])
            #expect(try await list(["limit": 1.9]) == [id[0]])
            #expect(try await list(["sortBy": "confidence", "limit": 2, "offset": 1]) == [id[2], id[1]])
            #expect(await h.errorCode("facts:list", ["memorySpaceId": "s", "sortOrder": "up"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:list", ["memorySpaceId": "s", "bogus": 1]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:list", ["memorySpaceId": "s", "factType": "fact"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:list", [:]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(try await list(["limit": nil, "factType": nil]).count == 5)
        }
    }

    @Test func countMatchesListWithoutPaging() async throws {
        try await withCatalogue { h in
            _ = try await seed(h)
            #expect(try await h.call("facts:count", ["memorySpaceId": "s"]) == 5.0)
            #expect(try await h.call("facts:count", ["memorySpaceId": "s", "includeSuperseded": true]) == 6.0)
            #expect(try await h.call("facts:count", ["memorySpaceId": "s", "subject": "ann", "minConfidence": 61]) == 1.0)
            #expect(try await h.call("facts:count", ["memorySpaceId": "s", "tenantId": "t2"]) == 1.0)
            #expect(try await h.call("facts:count", ["memorySpaceId": "none"]) == 0.0)
            for key in ["limit", "offset", "sortBy", "sortOrder"] {
                var args: ValueMap = ["memorySpaceId": "s"]
                args[key] = key.hasPrefix("sort") ? "asc" : 1
                #expect(await h.errorCode("facts:count", args) == "ARGUMENT_VALIDATION_ERROR")
            }
            #expect(try await h.call("facts:count", ["memorySpaceId": "s"], caller: Caller(tenantId: "t1")) == 1.0)
        }
    }

    @Test func queryBySubjectAndByRelationshipUseExactSubjects() async throws {
        try await withCatalogue { h in
            let f = try await seed(h)
            let id = f.map { $0["factId"] ?? nil }
            #expect(try await h.ids("facts:queryBySubject", ["memorySpaceId": "s", "subject": "ann"]) == [id[0], id[1]])
            #expect(try await h.ids("facts:queryBySubject", ["memorySpaceId": "s", "subject": "Ann"]) == [id[2]])
            #expect(try await h.ids("facts:queryBySubject", ["memorySpaceId": "s", "subject": "ann", "userId": "u2"]) == [id[1]])
            #expect(try await h.ids(
                "facts:queryBySubject", ["memorySpaceId": "s", "subject": "ann", "sortBy": "confidence", "sortOrder": "asc", "limit": 1]) == [id[1]])
            #expect(await h.errorCode("facts:queryBySubject", ["memorySpaceId": "s", "subject": "ann", "tenantId": "t1"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:queryBySubject", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(try await h.ids("facts:queryByRelationship", ["memorySpaceId": "s", "subject": "ann", "predicate": "likes"]) == [id[0]])
            #expect(try await h.ids("facts:queryByRelationship", ["memorySpaceId": "s", "subject": "ann", "predicate": "Likes"]).isEmpty)
            #expect(try await h.ids(
                "facts:queryByRelationship", ["memorySpaceId": "s", "subject": "ann", "predicate": "lives_in", "object": "Oslo"]) == [id[1]])
            #expect(await h.errorCode("facts:queryByRelationship", ["memorySpaceId": "s", "subject": "ann"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode(
                "facts:queryByRelationship", ["memorySpaceId": "s", "subject": "ann", "predicate": "x", "tenantId": "t"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(try await h.ids("facts:queryBySubject", ["memorySpaceId": "s", "subject": "ann"], caller: Caller(tenantId: "t1")) == [id[0]])
            let e = await h.error("facts:queryBySubject", ["memorySpaceId": "s", "subject": "ann", "metadata": nil])
            #expect(e?.message == "Cannot convert undefined or null to object")
            let r = await h.error("facts:queryByRelationship", ["memorySpaceId": "s", "subject": "ann", "predicate": "likes", "metadata": nil])
            #expect(r?.message == "Cannot convert undefined or null to object")
            #expect(try await h.ids(
                "facts:queryByRelationship", ["memorySpaceId": "s", "subject": "ann", "predicate": "lives_in", "metadata": nil]).isEmpty)
        }
    }

    @Test func findByStructureReturnsActiveMatchesOldestFirst() async throws {
        try await withCatalogue { h in
            var stored: [Value?] = []
            for i in 0..<12 { stored.append(try await h.storeFact("s", "f\(i)", at: UInt64(10 + i), ["subject": "u", "predicate": "p"])["factId"]) }
            let expired = try await h.storeFact("s", "expired", ["subject": "x", "object": "o", "userId": "u1", "factType": "event"])
            try await h.call("facts:deleteFact", ["memorySpaceId": "s", "factId": expired["factId"] ?? nil])
            func find(_ args: ValueMap) async throws -> [Value?] {
                var all: ValueMap = ["memorySpaceId": "s"]
                for (k, v) in args { all[k] = v }
                return try await h.ids("facts:findByStructure", all)
            }
            #expect(try await find(["subject": "u"]) == Array(stored.prefix(10)))
            #expect(try await find(["subject": "u", "predicate": "p", "limit": 1]) == [stored[0]])
            #expect(try await find(["subject": "u", "limit": 0]).isEmpty)
            #expect(try await find(["subject": "u", "limit": -10]) == Array(stored.prefix(2)))
            #expect(try await find(["limit": 100]).count == 13)
            #expect(try await find(["object": "o", "userId": "u1", "factType": "event"]) == [expired["factId"]])
            #expect(try await find(["object": "o", "factType": "knowledge"]).isEmpty)
            try await h.call("facts:update", ["memorySpaceId": "s", "factId": stored[0] ?? nil])
            #expect(try await find(["subject": "u", "limit": 1]) == [stored[1]])
            #expect(await h.errorCode("facts:findByStructure", ["memorySpaceId": "s", "tags": []]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func getHistoryWalksTheWholeChainOldestFirst() async throws {
        try await withCatalogue(shards: 3) { h in
            let a = try await h.storeFact("s", "v1", at: 10)
            let b = try await h.call("facts:update", ["memorySpaceId": "s", "factId": a["factId"] ?? nil, "fact": "v2"])
            let c = try await h.call("facts:update", ["memorySpaceId": "s", "factId": b["factId"] ?? nil, "fact": "v3"])
            let chain = [a["factId"] ?? nil, b["factId"] ?? nil, c["factId"] ?? nil]
            for start in chain {
                #expect(try await h.ids("facts:getHistory", ["memorySpaceId": "s", "factId": start]) == chain)
            }
            let history = try await h.call("facts:getHistory", ["memorySpaceId": "s", "factId": b["factId"] ?? nil])
            #expect(history.items.map { $0["version"] } == [1.0, 2.0, 3.0])
            #expect(try await h.call("facts:getHistory", ["memorySpaceId": "t", "factId": b["factId"] ?? nil]) == [])
            #expect(try await h.call("facts:getHistory", ["memorySpaceId": "s", "factId": "fact-nope"]) == [])
            #expect(await h.errorCode("facts:getHistory", ["factId": "x"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func getHistoryStopsOnCyclesAndMissingLinks() async throws {
        try await withCatalogue { h in
            let a = try await h.storeFact("s", "a", at: 10)
            let b = try await h.storeFact("s", "b")
            let c = try await h.storeFact("s", "c")
            // a → b → c → a: every link set both ways by supersede.
            for (old, new) in [(a, b), (b, c), (c, a)] {
                try await h.call("facts:supersede", ["memorySpaceId": "s", "oldFactId": old["factId"] ?? nil, "newFactId": new["factId"] ?? nil])
            }
            let fromA = try await h.ids("facts:getHistory", ["memorySpaceId": "s", "factId": a["factId"] ?? nil])
            #expect(fromA.count == 3)
            #expect(Set(fromA.compactMap { $0 }) == Set([a, b, c].compactMap { $0["factId"] }))
            // A link to a fact that no longer exists ends the walk.
            let d = try await h.storeFact("s", "d")
            let e = try await h.storeFact("s", "e")
            try await h.call("facts:supersede", ["memorySpaceId": "s", "oldFactId": d["factId"] ?? nil, "newFactId": e["factId"] ?? nil])
            try await h.seed("facts", ["factId": "fact-dangling", "memorySpaceId": "s", "supersedes": "fact-gone", "supersededBy": "fact-gone2"])
            #expect(try await h.ids("facts:getHistory", ["memorySpaceId": "s", "factId": "fact-dangling"]) == ["fact-dangling"])
            #expect(try await h.ids("facts:getHistory", ["memorySpaceId": "s", "factId": e["factId"] ?? nil]) == [d["factId"], e["factId"]])
        }
    }

    /// The texts a fixed sequence of calls returns, spread over eight spaces.
    func scenario(shards: Int) async throws -> [[String]] {
        var out: [[String]] = []
        try await withCatalogue(shards: shards) { h in
            var ids: [Value] = []
            for i in 0..<24 {
                let f = try await h.storeFact(
                    "space-\(i % 8)", "fact \(i) about tea", at: UInt64(100 + i), ["subject": .string("s\(i % 3)"), "confidence": .double(Double(i))])
                ids.append(f["factId"] ?? nil)
            }
            let v2 = try await h.call("facts:update", ["memorySpaceId": "space-0", "factId": ids[0], "fact": "fact 0 v2"])
            try await h.call("facts:update", ["memorySpaceId": "space-0", "factId": v2["factId"] ?? nil, "fact": "fact 0 v3"])
            try await h.call("facts:consolidate", ["memorySpaceId": "space-1", "factIds": [ids[1], ids[9], ids[2]], "keepFactId": ids[1]])
            try await h.call("facts:deleteByIds", ["factIds": [ids[3], ids[4], ids[12]]])
            func texts(_ name: String, _ args: ValueMap) async throws -> [String] {
                try await h.call(name, args).items.map { "\($0["fact"]?.stringValue ?? "")/\($0["confidence"]?.doubleValue ?? -1)/\($0["validUntil"]?.doubleValue ?? -1)" }
            }
            out.append(try await texts("facts:getHistory", ["memorySpaceId": "space-0", "factId": v2["factId"] ?? nil]))
            out.append(try await texts("facts:list", ["memorySpaceId": "space-1", "includeSuperseded": true]))
            out.append(try await texts("facts:search", ["memorySpaceId": "space-4", "query": "tea", "sortBy": "confidence"]))
            out.append(try await texts("facts:queryBySubject", ["memorySpaceId": "space-3", "subject": "s0"]))
            out.append(try await texts("facts:findByStructure", ["memorySpaceId": "space-2", "limit": 2]))
        }
        return out
    }

    @Test func resultsAreTheSameWithOneAndFourShards() async throws {
        let one = try await scenario(shards: 1), four = try await scenario(shards: 4)
        #expect(one == four)
        #expect(one.allSatisfy { !$0.isEmpty })
    }
}
