import EngramCore
import EngramFunctions
import Testing

/// `facts` mutations on many facts: deleteMany, consolidate, deleteByIds, purgeAll.
@Suite struct FactsBatchTests {
    @Test func deleteManyHardDeletesTheSpacesMatchingFacts() async throws {
        try await withCatalogue(shards: 3) { h in
            let a = try await h.storeFact("s", "a", at: 10, ["userId": "u1", "factType": "preference"])
            try await h.storeFact("s", "b", ["userId": "u1"])
            let c = try await h.storeFact("s", "c", ["userId": "u2", "factType": "preference"])
            try await h.storeFact("t", "d", ["userId": "u1"])
            try await h.call("facts:update", ["memorySpaceId": "s", "factId": a["factId"] ?? nil])  // superseded a counts too
            let r = try await h.call("facts:deleteMany", ["memorySpaceId": "s", "userId": "u1"])
            #expect(r == ["deleted": 3.0, "memorySpaceId": "s"])
            #expect(r.keyList == ["deleted", "memorySpaceId"])
            #expect(try await h.ids("facts:list", ["memorySpaceId": "s", "includeSuperseded": true]) == [c["factId"]])
            #expect(try h.count("facts") == 2)
            #expect(try await h.call("facts:deleteMany", ["memorySpaceId": "s", "factType": "knowledge"]) == ["deleted": 0.0, "memorySpaceId": "s"])
            #expect(try await h.call("facts:deleteMany", ["memorySpaceId": "s", "userId": ""])["deleted"] == 1.0)  // "" is no filter
            #expect(try h.count("facts") == 1)
            #expect(await h.errorCode("facts:deleteMany", ["memorySpaceId": "t", "factType": "fact"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:deleteMany", ["memorySpaceId": "t", "tenantId": "x"]) == "ARGUMENT_VALIDATION_ERROR")
            // A tenant-bound key deletes only its tenant's facts.
            try await h.storeFact("t", "mine", caller: Caller(tenantId: "t1"))
            #expect(try await h.call("facts:deleteMany", ["memorySpaceId": "t"], caller: Caller(tenantId: "t1"))["deleted"] == 1.0)
            #expect(try h.count("facts") == 1)
        }
    }

    @Test func consolidateSupersedesTheOthersAndAveragesConfidence() async throws {
        try await withCatalogue(shards: 3) { h in
            let a = try await h.storeFact("s", "a", at: 10, ["confidence": 80])
            let b = try await h.storeFact("s", "b", ["confidence": 61])
            let c = try await h.storeFact("s", "c", ["confidence": 90])
            let d = try await h.storeFact("t", "d", ["confidence": 10])
            h.fixedNow = 99
            let ids: [Value] = [a["factId"] ?? nil, b["factId"] ?? nil, c["factId"] ?? nil, d["factId"] ?? nil, "fact-missing"]
            let r = try await h.call("facts:consolidate", ["memorySpaceId": "s", "factIds": .array(ids), "keepFactId": a["factId"] ?? nil])
            #expect(r == ["consolidated": true, "keptFactId": a["factId"] ?? nil, "mergedCount": 4.0])
            #expect(r.keyList == ["consolidated", "keptFactId", "mergedCount"])
            for merged in [b, c] {
                let stored = try #require(try h.fact(merged["factId"]))
                #expect(stored["supersededBy"] == a["factId"])
                #expect(stored["validUntil"] == 99.0)
                #expect(stored["updatedAt"] == 10.0)
            }
            #expect(try h.fact(d["factId"])?["supersededBy"] == nil)  // other space: skipped
            let kept = try #require(try h.fact(a["factId"]))
            #expect(kept["confidence"] == 60.0)  // (80 + 61 + 90 + 10) / 4 = 60.25, other space counted
            #expect(kept["updatedAt"] == 99.0)
            #expect(kept["supersedes"] == nil)
            #expect(try await h.ids("facts:list", ["memorySpaceId": "s"]) == [a["factId"]])
        }
    }

    @Test func consolidateRoundsHalvesUpAndToleratesAMissingKeptFact() async throws {
        try await withCatalogue { h in
            let a = try await h.storeFact("s", "a", at: 10, ["confidence": 80])
            let b = try await h.storeFact("s", "b", ["confidence": 61])
            try await h.call(
                "facts:consolidate",
                ["memorySpaceId": "s", "factIds": [a["factId"] ?? nil, b["factId"] ?? nil], "keepFactId": a["factId"] ?? nil])
            #expect(try h.fact(a["factId"])?["confidence"] == 71.0)  // 70.5 rounds up
            // Kept fact in another space: the others are still superseded, confidence untouched.
            let c = try await h.storeFact("t", "c", ["confidence": 1])
            let d = try await h.storeFact("s", "d", ["confidence": 3])
            let r = try await h.call(
                "facts:consolidate",
                ["memorySpaceId": "s", "factIds": [c["factId"] ?? nil, d["factId"] ?? nil], "keepFactId": c["factId"] ?? nil])
            #expect(r["mergedCount"] == 1.0)
            #expect(try h.fact(d["factId"])?["supersededBy"] == c["factId"])
            #expect(try h.fact(c["factId"])?["confidence"] == 1.0)
            let e = await h.error("facts:consolidate", ["memorySpaceId": "s", "factIds": ["x"], "keepFactId": "y"])
            #expect(e?.code.rawValue == "FUNCTION_ERROR")
            #expect(e?.message == "KEEP_FACT_NOT_IN_LIST")
            #expect(e?.isCoded == false)
            #expect(await h.errorCode("facts:consolidate", ["memorySpaceId": "s", "factIds": ["x"]]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func deleteByIdsSoftDeletesEveryFoundIdInInputOrder() async throws {
        try await withCatalogue(shards: 3) { h in
            let a = try await h.storeFact("s", "a", at: 10)
            let b = try await h.storeFact("t", "b")
            h.fixedNow = 40
            let r = try await h.call(
                "facts:deleteByIds", ["factIds": [a["factId"] ?? nil, "fact-unknown", a["factId"] ?? nil, b["factId"] ?? nil]])
            #expect(r == ["deleted": 3.0, "factIds": [a["factId"] ?? nil, a["factId"] ?? nil, b["factId"] ?? nil]])
            #expect(r.keyList == ["deleted", "factIds"])
            for f in [a, b] {
                let stored = try #require(try h.fact(f["factId"]))
                #expect(stored["validUntil"] == 40.0)
                #expect(stored["updatedAt"] == 40.0)
                #expect(stored["supersededBy"] == nil)
            }
            #expect(try await h.call("facts:deleteByIds", ["factIds": []]) == ["deleted": 0.0, "factIds": []])
            #expect(await h.errorCode("facts:deleteByIds", [:]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:deleteByIds", ["factIds": [1]]) == "ARGUMENT_VALIDATION_ERROR")
            let other = try await h.storeFact("s", "other tenant", ["tenantId": "t2"])
            let bound = try await h.call("facts:deleteByIds", ["factIds": [other["factId"] ?? nil]], caller: Caller(tenantId: "t1"))
            #expect(bound == ["deleted": 0.0, "factIds": []])
        }
    }

    @Test func purgeAllDeletesEveryFactWhenAllowed() async throws {
        try await withCatalogue(shards: 3) { h in
            for i in 0..<7 { try await h.storeFact("space-\(i)", "f\(i)") }
            for i in 0..<2 { try await h.storeFact("space-\(i)", "t\(i)", ["tenantId": "t"]) }
            // A tenant-bound caller purges only its own tenant's facts.
            #expect(try await h.call("facts:purgeAll", [:], caller: Caller(tenantId: "t")) == ["deleted": 2.0])
            #expect(try h.count("facts") == 7)
            #expect(await h.errorCode("facts:purgeAll", ["all": true]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(try await h.call("facts:purgeAll") == ["deleted": 7.0])
            #expect(try h.count("facts") == 0)
            #expect(try await h.call("facts:purgeAll") == ["deleted": 0.0])
        }
        try await withCatalogue(allowPurge: false) { h in
            try await h.storeFact("s", "kept")
            let e = await h.error("facts:purgeAll")
            #expect(e?.code.rawValue == "PURGE_DISABLED_IN_PRODUCTION")
            #expect(e?.message == "PURGE_DISABLED_IN_PRODUCTION: purgeAll is only available in test/dev environments.")
            #expect(try h.count("facts") == 1)
        }
    }
}
