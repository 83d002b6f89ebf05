import EngramCore
import EngramFunctions
import Testing

/// `facts:search` (matching rule, filters, sorting, paging) and `facts:exportFacts`.
///
/// The search tests hold for any ranking; the stand-in's own ranking is tested in
/// ``FactTextCandidatesTests`` (replaced together with `FactTextCandidates.swift`).
@Suite struct FactsSearchExportTests {
    /// Space `s`: four facts about tea and coffee, one superseded; space `t`: one.
    func seedSearch(_ h: CatalogueHarness) async throws -> [Value?] {
        let f1 = try await h.storeFact("s", "Ann likes green tea", at: 10, ["userId": "u1", "confidence": 90])
        let f2 = try await h.storeFact("s", "Bob drinks coffee", at: 20, ["userId": "u2", "confidence": 50])
        let f3 = try await h.storeFact("s", "Ann's favourite drink is TEA, definitely tea.", at: 30, ["confidence": 70, "tenantId": "t1"])
        let f4 = try await h.storeFact("s", "Teapots are nice", at: 40, ["subject": "coffee", "confidence": 60])
        try await h.storeFact("t", "tea everywhere", at: 50)
        let old = try await h.storeFact("s", "old tea fact", at: 60)
        try await h.call("facts:supersede", ["memorySpaceId": "s", "oldFactId": old["factId"] ?? nil, "newFactId": f1["factId"] ?? nil])
        return [f1["factId"], f2["factId"], f3["factId"], f4["factId"], old["factId"]]
    }

    func search(_ h: CatalogueHarness, _ query: String, _ extra: ValueMap = [:], caller: Caller = .unbound) async throws -> [Value?] {
        var args: ValueMap = ["memorySpaceId": "s", "query": .string(query)]
        for (k, v) in extra { args[k] = v }
        return try await h.ids("facts:search", args, caller: caller)
    }

    @Test func searchMatchesAnyTermAndTheLastTermAsAPrefix() async throws {
        try await withCatalogue { h in
            let id = try await seedSearch(h)
            #expect(Set(try await search(h, "tea")) == Set([id[0], id[2], id[3]]))  // "Teapots" by prefix
            #expect(Set(try await search(h, "TEA")) == Set([id[0], id[2], id[3]]))
            #expect(try await search(h, "coffee") == [id[1]])  // subject is not searched
            #expect(Set(try await search(h, "coffee tea")) == Set([id[0], id[1], id[2], id[3]]))
            #expect(Set(try await search(h, "te")) == Set([id[0], id[2], id[3]]))
            #expect(Set(try await search(h, "tea coff")) == Set([id[0], id[1], id[2]]))  // "tea" no longer a prefix
            #expect(try await search(h, "te coffee") == [id[1]])  // only the last term is a prefix
            #expect(try await search(h, "ea").isEmpty)
            #expect(try await search(h, "  !?  ").isEmpty)
            #expect(try await search(h, "").isEmpty)
            #expect(Set(try await search(h, "tea", ["includeSuperseded": true])) == Set([id[0], id[2], id[3], id[4]]))
        }
    }

    @Test func searchAppliesTheStandardFiltersSortingAndPaging() async throws {
        try await withCatalogue { h in
            let id = try await seedSearch(h)
            #expect(try await search(h, "tea", ["userId": "u1"]) == [id[0]])
            #expect(Set(try await search(h, "tea", ["minConfidence": 65])) == Set([id[0], id[2]]))
            #expect(try await search(h, "tea", ["tenantId": "t1"]) == [id[2]])
            #expect(try await search(h, "tea", ["sortBy": "createdAt", "sortOrder": "asc"]) == [id[0], id[2], id[3]])
            #expect(try await search(h, "tea", ["sortBy": "confidence"]) == [id[0], id[2], id[3]])
            #expect(try await search(h, "tea", ["sortBy": "confidence", "limit": 2, "offset": 1]) == [id[2], id[3]])
            #expect(try await search(h, "tea", ["limit": 2]).count == 2)
            #expect(try await search(h, "tea", ["limit": 0]).isEmpty)
            #expect(try await search(h, "tea", caller: Caller(tenantId: "t1")) == [id[2]])
            let hit = try await h.call("facts:search", ["memorySpaceId": "s", "query": "coffee"])
            #expect(hit.items.first == (try await h.call("facts:get", ["memorySpaceId": "s", "factId": id[1] ?? nil])))  // no score
            #expect(await h.errorCode("facts:search", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:search", ["memorySpaceId": "s", "query": "x", "embedding": []]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:search", ["memorySpaceId": "s", "query": "tea", "metadata": nil]) == nil)
            try await h.call("facts:updateInPlace", ["memorySpaceId": "s", "factId": id[3] ?? nil, "metadata": ["a": 1]])
            #expect(await h.errorCode("facts:search", ["memorySpaceId": "s", "query": "tea", "metadata": nil]) == "FUNCTION_ERROR")
        }
    }

    static let t: UInt64 = 1_700_000_000_000

    /// Space `s`: A (full triple, quoted text), B (plain), and a superseded fact.
    func seedExport(_ h: CatalogueHarness) async throws -> (Value, Value) {
        let a = try await h.storeFact(
            "s", "She said \"hi\"", at: Self.t,
            ["factType": "identity", "subject": "user-1", "predicate": "name", "object": "Ann", "confidence": 95.5,
             "tags": ["a", "b"], "validUntil": .double(Double(Self.t + 1000))])
        let b = try await h.storeFact("s", "plain", at: Self.t + 1)
        try await h.seed("facts", ["factId": "fact-old", "memorySpaceId": "s", "fact": "old", "factType": "knowledge", "supersededBy": "x"])
        try await h.storeFact("t", "other space", at: Self.t + 2)
        h.fixedNow = Self.t + 5
        return (a, b)
    }

    @Test func exportFactsAsCSV() async throws {
        try await withCatalogue { h in
            let (a, b) = try await seedExport(h)
            let r = try await h.call("facts:exportFacts", ["memorySpaceId": "s", "format": "csv"])
            #expect(r.keyList == ["format", "data", "count", "exportedAt"])
            #expect(r["format"] == "csv")
            #expect(r["count"] == 2.0)
            #expect(r["exportedAt"] == .double(Double(Self.t + 5)))
            let expected = [
                "factId,fact,factType,subject,predicate,object,confidence,sourceType,tags,createdAt",
                (a["factId"]?.stringValue ?? "") + #","She said ""hi""",identity,user-1,name,Ann,95.5,manual,a;b,2023-11-14T22:13:20.000Z"#,
                (b["factId"]?.stringValue ?? "") + #","plain",knowledge,,,,80,manual,,2023-11-14T22:13:20.001Z"#,
            ].joined(separator: "\n")
            #expect(r["data"]?.stringValue == expected)
            let empty = try await h.call("facts:exportFacts", ["memorySpaceId": "none", "format": "csv"])
            #expect(empty["data"] == "factId,fact,factType,subject,predicate,object,confidence,sourceType,tags,createdAt")
            #expect(empty["count"] == 0.0)
        }
    }

    @Test func exportFactsAsJSONLD() async throws {
        try await withCatalogue { h in
            let (a, b) = try await seedExport(h)
            let r = try await h.call("facts:exportFacts", ["memorySpaceId": "s", "format": "jsonld"])
            let expected = """
                {
                  "@context": "https://schema.org/",
                  "@graph": [
                    {
                      "@type": "Fact",
                      "@id": "\(a["factId"]?.stringValue ?? "")",
                      "subject": "user-1",
                      "predicate": "name",
                      "object": "Ann",
                      "factStatement": "She said \\"hi\\"",
                      "confidence": 95.5,
                      "factType": "identity",
                      "dateCreated": "2023-11-14T22:13:20.000Z",
                      "validFrom": "2023-11-14T22:13:20.000Z",
                      "validThrough": "2023-11-14T22:13:21.000Z"
                    },
                    {
                      "@type": "Fact",
                      "@id": "\(b["factId"]?.stringValue ?? "")",
                      "factStatement": "plain",
                      "confidence": 80,
                      "factType": "knowledge",
                      "dateCreated": "2023-11-14T22:13:20.001Z",
                      "validFrom": "2023-11-14T22:13:20.001Z"
                    }
                  ]
                }
                """
            #expect(r["data"]?.stringValue == expected)
            #expect(r["count"] == 2.0)
            let empty = try await h.call("facts:exportFacts", ["memorySpaceId": "none", "format": "jsonld"])
            #expect(empty["data"] == "{\n  \"@context\": \"https://schema.org/\",\n  \"@graph\": []\n}")
        }
    }

    @Test func exportFactsAsJSONWithSortedKeys() async throws {
        try await withCatalogue { h in
            let (_, b) = try await seedExport(h)
            let r = try await h.call("facts:exportFacts", ["memorySpaceId": "s", "format": "json", "factType": "knowledge"])
            #expect(r["count"] == 1.0)
            let creation = JSONText.number(b["_creationTime"]?.doubleValue ?? 0)
            let expected = """
                [
                  {
                    "_creationTime": \(creation),
                    "_id": "\(b["_id"]?.stringValue ?? "")",
                    "confidence": 80,
                    "createdAt": 1700000000001,
                    "fact": "plain",
                    "factId": "\(b["factId"]?.stringValue ?? "")",
                    "factType": "knowledge",
                    "memorySpaceId": "s",
                    "sourceType": "manual",
                    "tags": [],
                    "updatedAt": 1700000000001,
                    "validFrom": 1700000000001,
                    "version": 1
                  }
                ]
                """
            #expect(r["data"]?.stringValue == expected)
            #expect(try await h.call("facts:exportFacts", ["memorySpaceId": "none", "format": "json"])["data"] == "[]")
            #expect(await h.errorCode("facts:exportFacts", ["memorySpaceId": "s", "format": "xml"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:exportFacts", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func exportOfAnUnrepresentableDateFailsAsJavaScriptDoes() async throws {
        try await withCatalogue { h in
            try await h.storeFact("s", "far future", at: 10, ["validFrom": 9e15])
            let e = await h.error("facts:exportFacts", ["memorySpaceId": "s", "format": "jsonld"])
            #expect(e?.code.rawValue == "FUNCTION_ERROR")
            #expect(e?.message == "Invalid time value")
            #expect(await h.errorCode("facts:exportFacts", ["memorySpaceId": "s", "format": "csv"]) == nil)
        }
    }

    @Test func isoStringMatchesJavaScript() {
        #expect(JavaScript.isoString(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(JavaScript.isoString(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(JavaScript.isoString(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(JavaScript.isoString(milliseconds: -1.5) == "1969-12-31T23:59:59.999Z")
        #expect(JavaScript.isoString(milliseconds: 1.9) == "1970-01-01T00:00:00.001Z")
        #expect(JavaScript.isoString(milliseconds: 253_402_300_800_000) == "+010000-01-01T00:00:00.000Z")
        #expect(JavaScript.isoString(milliseconds: 8.64e15) == "+275760-09-13T00:00:00.000Z")
        #expect(JavaScript.isoString(milliseconds: -8.64e15) == "-271821-04-20T00:00:00.000Z")
        #expect(JavaScript.isoString(milliseconds: -62_198_755_200_000) == "-000001-01-01T00:00:00.000Z")
        #expect(JavaScript.isoString(milliseconds: 8.64e15 + 1) == nil)
        #expect(JavaScript.isoString(milliseconds: .nan) == nil)
        #expect(JavaScript.numberText(.nan) == "NaN")
        #expect(JavaScript.numberText(-.infinity) == "-Infinity")
        #expect(JavaScript.numberText(95.5) == "95.5")
    }
}

/// The ranking of the stand-in text match in `FactTextCandidates.swift` (distinct query
/// terms matched, ties newest first). Replace together with that file.
@Suite struct FactTextCandidatesTests {
    @Test func moreMatchedTermsRankFirstThenNewer() async throws {
        try await withCatalogue { h in
            let a = try await h.storeFact("s", "Ann likes tea", at: 10)
            let b = try await h.storeFact("s", "tea time", at: 20)
            let c = try await h.storeFact("s", "Ann and her teapot", at: 30)
            let d = try await h.storeFact("s", "nothing here", at: 40)
            _ = d
            let hits = try await h.ids("facts:search", ["memorySpaceId": "s", "query": "ann tea"])
            #expect(hits == [c["factId"], a["factId"], b["factId"]])
        }
    }
}
