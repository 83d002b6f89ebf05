import EngramCore
import EngramFunctions
import Testing

/// `facts` mutations on single facts: store, update (versions), deleteFact, supersede,
/// updateInPlace.
@Suite struct FactsWriteTests {
    @Test func storeWritesVersionOneWithOnlyTheGivenFields() async throws {
        try await withCatalogue { h in
            h.fixedNow = 1000
            let f = try await h.call(
                "facts:store",
                ["memorySpaceId": "s", "fact": "User likes tea", "factType": "preference", "confidence": 90,
                 "sourceType": "conversation", "tags": ["drinks"]])
            #expect(f.keyList == [
                "_id", "_creationTime", "factId", "memorySpaceId", "fact", "factType", "confidence", "sourceType", "tags",
                "validFrom", "version", "createdAt", "updatedAt",
            ])
            #expect(f["factId"]?.isLogicalID(prefix: "fact", now: 1000) == true)
            #expect(f["validFrom"] == 1000.0)
            #expect(f["version"] == 1.0)
            #expect(f["createdAt"] == 1000.0)
            #expect(f["updatedAt"] == 1000.0)
            #expect(f["tags"] == ["drinks"])
            #expect(try h.fact(f["factId"]) == f)
        }
    }

    @Test func storeKeepsEveryOptionalFieldAndAcceptsTheSDKsNestedNulls() async throws {
        try await withCatalogue { h in
            h.fixedNow = 2000
            let f = try await h.call(
                "facts:store",
                ["memorySpaceId": "s", "participantId": "bot", "userId": "u", "tenantId": "t", "fact": "x",
                 "factType": "identity", "subject": "user-1", "predicate": "name", "object": "Ann", "confidence": 70,
                 "sourceType": "a2a", "sourceRef": ["conversationId": nil, "messageIds": [], "memoryId": nil],
                 "metadata": nil, "tags": [], "validFrom": 0, "validUntil": 5, "category": "c", "searchAliases": ["a"],
                 "semanticContext": "ctx", "entities": [["name": "Ann", "type": "person", "fullValue": nil]],
                 "relations": [["subject": "user-1", "predicate": "name", "object": "Ann"]]])
            #expect(f.keyList == [
                "_id", "_creationTime", "factId", "memorySpaceId", "participantId", "userId", "tenantId", "fact", "factType",
                "subject", "predicate", "object", "confidence", "sourceType", "sourceRef", "metadata", "tags", "category",
                "searchAliases", "semanticContext", "entities", "relations", "validFrom", "validUntil", "version",
                "createdAt", "updatedAt",
            ])
            #expect(f["sourceRef"] == ["messageIds": []])
            #expect(f["metadata"] == .null)
            #expect(f["entities"] == [["name": "Ann", "type": "person"]])
            #expect(f["validFrom"] == 2000.0)  // 0 is not set: now
            #expect(f["validUntil"] == 5.0)
            let g = try await h.storeFact("s", "y", ["validFrom": 7, "participantId": nil])
            #expect(g["validFrom"] == 7.0)
            #expect(g["participantId"] == nil)
        }
    }

    @Test func storeValidatesArguments() async throws {
        try await withCatalogue { h in
            let base: ValueMap = [
                "memorySpaceId": "s", "fact": "x", "factType": "knowledge", "confidence": 1, "sourceType": "tool", "tags": [],
            ]
            func with(_ change: ValueMap, removing: String? = nil) -> ValueMap {
                var a = base
                if let removing { a.removeValue(forKey: removing) }
                for (k, v) in change { a[k] = v }
                return a
            }
            #expect(await h.errorCode("facts:store", base) == nil)
            for missing in ["memorySpaceId", "fact", "factType", "confidence", "sourceType", "tags"] {
                #expect(await h.errorCode("facts:store", with([:], removing: missing)) == "ARGUMENT_VALIDATION_ERROR")
            }
            #expect(await h.errorCode("facts:store", with(["factType": "opinion"])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:store", with(["sourceType": "Manual"])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:store", with(["content": "x"])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:store", with(["sourceRef": ["memoryId": "m", "extra": 1]])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:store", with(["entities": [["name": "n"]]])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:store", with(["confidence": "high"])) == "ARGUMENT_VALIDATION_ERROR")
            let e = await h.error("facts:store", with(["factId": "fact-1"]))
            #expect(e?.message.hasPrefix("ArgumentValidationError") == true)
            #expect(e?.message.contains("factId") == true)
        }
    }

    @Test func storeByATenantBoundKeyWritesItsTenant() async throws {
        try await withCatalogue { h in
            let bound = Caller(tenantId: "t1")
            let f = try await h.storeFact("s", "x", caller: bound)
            #expect(f["tenantId"] == "t1")
            #expect(await h.errorCode(
                "facts:store",
                ["memorySpaceId": "s", "fact": "x", "factType": "custom", "confidence": 1, "sourceType": "tool", "tags": [],
                 "tenantId": "t2"], caller: bound) == "FORBIDDEN")
        }
    }

    @Test func updateCreatesTheNextVersionAndRetiresTheOld() async throws {
        try await withCatalogue { h in
            let a = try await h.storeFact(
                "s", "Ann likes tea", at: 1000, ["subject": "ann", "tags": ["t"], "metadata": ["k": 1], "category": "c"])
            h.fixedNow = 2000
            let b = try await h.call(
                "facts:update", ["memorySpaceId": "s", "factId": a["factId"] ?? nil, "fact": "", "confidence": 0, "metadata": nil])
            #expect(b["factId"] != a["factId"])
            #expect(b["factId"]?.isLogicalID(prefix: "fact", now: 2000) == true)
            #expect(b.keyList == [
                "_id", "_creationTime", "factId", "memorySpaceId", "fact", "factType", "subject", "confidence", "sourceType",
                "metadata", "tags", "category", "validFrom", "version", "supersedes", "createdAt", "updatedAt",
            ])
            #expect(b["fact"] == "Ann likes tea")  // "" keeps the text
            #expect(b["confidence"] == 0.0)  // 0 applies
            #expect(b["metadata"] == ["k": 1])  // null keeps the metadata
            #expect(b["version"] == 2.0)
            #expect(b["supersedes"] == a["factId"])
            #expect(b["createdAt"] == 1000.0)
            #expect(b["updatedAt"] == 2000.0)
            #expect(b["validFrom"] == 1000.0)
            let old = try #require(try h.fact(a["factId"]))
            #expect(old["supersededBy"] == b["factId"])
            #expect(old["validUntil"] == 2000.0)
            #expect(old["updatedAt"] == 1000.0)  // not touched
            #expect(try await h.ids("facts:list", ["memorySpaceId": "s"]) == [b["factId"]])

            let c = try await h.call(
                "facts:update",
                ["memorySpaceId": "s", "factId": b["factId"] ?? nil, "fact": "Ann loves tea", "tags": [], "metadata": [:],
                 "validUntil": 99, "category": "d", "searchAliases": ["x"], "semanticContext": "s",
                 "entities": [["name": "Ann", "type": "person"]], "relations": []])
            #expect(c["fact"] == "Ann loves tea")
            #expect(c["tags"] == [])
            #expect(c["metadata"] == .map([:]))
            #expect(c["validUntil"] == 99.0)
            #expect(c["category"] == "d")
            #expect(c["relations"] == [])
            #expect(c["version"] == 3.0)
            // An inherited validUntil (a soft-deleted fact) carries over when not given.
            let d = try await h.call("facts:update", ["memorySpaceId": "s", "factId": c["factId"] ?? nil])
            #expect(d["validUntil"] == 99.0)
            #expect(d["version"] == 4.0)
        }
    }

    @Test func updateErrorsAndForks() async throws {
        try await withCatalogue { h in
            let a = try await h.storeFact("s", "x", at: 10)
            #expect(await h.errorCode("facts:update", ["memorySpaceId": "s", "factId": "fact-missing"]) == "FACT_NOT_FOUND")
            #expect(await h.errorCode("facts:update", ["memorySpaceId": "other", "factId": a["factId"] ?? nil]) == "PERMISSION_DENIED")
            #expect(await h.errorCode("facts:update", ["memorySpaceId": "other", "factId": "nope"]) == "FACT_NOT_FOUND")
            #expect(await h.errorCode("facts:update", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("facts:update", ["memorySpaceId": "s", "factId": a["factId"] ?? nil, "subject": "x"]) == "ARGUMENT_VALIDATION_ERROR")
            let e = await h.error("facts:update", ["memorySpaceId": "s", "factId": "nope"])
            #expect(e?.isCoded == true)
            // Updating an already superseded version forks the chain.
            let b = try await h.call("facts:update", ["memorySpaceId": "s", "factId": a["factId"] ?? nil])
            let c = try await h.call("facts:update", ["memorySpaceId": "s", "factId": a["factId"] ?? nil])
            #expect(try h.fact(a["factId"])?["supersededBy"] == c["factId"])
            #expect(c["version"] == 2.0)
            #expect(try await h.ids("facts:getHistory", ["memorySpaceId": "s", "factId": b["factId"] ?? nil]) == [a["factId"], c["factId"]])
            #expect(try await h.ids("facts:list", ["memorySpaceId": "s"]) == [b["factId"], c["factId"]])
        }
    }

    @Test func deleteFactEndsValidityButKeepsTheFactActive() async throws {
        try await withCatalogue { h in
            let a = try await h.storeFact("s", "x", at: 10)
            h.fixedNow = 20
            let r = try await h.call("facts:deleteFact", ["memorySpaceId": "s", "factId": a["factId"] ?? nil])
            #expect(r == ["deleted": true, "factId": a["factId"] ?? nil])
            #expect(r.keyList == ["deleted", "factId"])
            let stored = try #require(try h.fact(a["factId"]))
            #expect(stored["validUntil"] == 20.0)
            #expect(stored["updatedAt"] == 20.0)
            #expect(stored["supersededBy"] == nil)
            #expect(try await h.ids("facts:list", ["memorySpaceId": "s"]) == [a["factId"]])
            h.fixedNow = 30
            try await h.call("facts:deleteFact", ["memorySpaceId": "s", "factId": a["factId"] ?? nil])
            #expect(try h.fact(a["factId"])?["validUntil"] == 30.0)
            #expect(await h.errorCode("facts:deleteFact", ["memorySpaceId": "s", "factId": "gone"]) == "FACT_NOT_FOUND")
            #expect(await h.errorCode("facts:deleteFact", ["memorySpaceId": "t", "factId": a["factId"] ?? nil]) == "PERMISSION_DENIED")
            #expect(await h.errorCode("facts:deleteFact", ["factId": "x"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func supersedeLinksTwoFactsOfOneSpace() async throws {
        try await withCatalogue { h in
            let old = try await h.storeFact("s", "old", at: 10)
            let new = try await h.storeFact("s", "new", at: 11)
            let other = try await h.storeFact("t", "elsewhere", at: 12)
            h.fixedNow = 50
            let r = try await h.call(
                "facts:supersede", ["memorySpaceId": "s", "oldFactId": old["factId"] ?? nil, "newFactId": new["factId"] ?? nil])
            #expect(r.keyList == ["superseded", "oldFactId", "newFactId"])
            #expect(r["superseded"] == true)
            let o = try #require(try h.fact(old["factId"])), n = try #require(try h.fact(new["factId"]))
            #expect(o["supersededBy"] == new["factId"])
            #expect(o["validUntil"] == 50.0)
            #expect(o["updatedAt"] == 50.0)
            #expect(n["supersedes"] == old["factId"])
            #expect(n["updatedAt"] == 50.0)
            #expect(n["version"] == 1.0)
            #expect(n["validUntil"] == nil)
            let withReason = try await h.call(
                "facts:supersede",
                ["memorySpaceId": "s", "oldFactId": old["factId"] ?? nil, "newFactId": new["factId"] ?? nil, "reason": "newer"])
            #expect(withReason["reason"] == "newer")
            #expect(try await h.ids("facts:list", ["memorySpaceId": "s"]) == [new["factId"]])

            func code(_ space: String, _ o: Value?, _ n: Value?) async -> String? {
                await h.errorCode("facts:supersede", ["memorySpaceId": .string(space), "oldFactId": o ?? nil, "newFactId": n ?? nil])
            }
            #expect(await code("s", "missing", "missing2") == "OLD_FACT_NOT_FOUND")
            #expect(await code("t", old["factId"], "missing") == "PERMISSION_DENIED")
            #expect(await code("s", old["factId"], "missing") == "NEW_FACT_NOT_FOUND")
            #expect(await code("s", old["factId"], other["factId"]) == "FACTS_MUST_BE_IN_SAME_SPACE")
            #expect(await h.errorCode("facts:supersede", ["memorySpaceId": "s", "oldFactId": "a"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func supersedingAFactWithItselfMakesASelfLoopThatReadsStop() async throws {
        try await withCatalogue { h in
            let a = try await h.storeFact("s", "loop", at: 10)
            try await h.call("facts:supersede", ["memorySpaceId": "s", "oldFactId": a["factId"] ?? nil, "newFactId": a["factId"] ?? nil])
            let stored = try #require(try h.fact(a["factId"]))
            #expect(stored["supersededBy"] == a["factId"])
            #expect(stored["supersedes"] == a["factId"])
            #expect(try await h.call("facts:list", ["memorySpaceId": "s"]).items.isEmpty)
            #expect(try await h.ids("facts:getHistory", ["memorySpaceId": "s", "factId": a["factId"] ?? nil]) == [a["factId"]])
        }
    }

    @Test func updateInPlacePatchesExactlyTheGivenFields() async throws {
        try await withCatalogue { h in
            let a = try await h.storeFact("s", "Ann likes tea", at: 10, ["metadata": ["k": 1], "tags": ["x"]])
            h.fixedNow = 20
            let r = try await h.call(
                "facts:updateInPlace",
                ["memorySpaceId": "s", "factId": a["factId"] ?? nil, "fact": "", "confidence": 95, "metadata": nil,
                 "validUntil": 40, "entities": [["name": "Ann", "type": "person", "fullValue": "Ann B"]]])
            #expect(r["factId"] == a["factId"])
            #expect(r["_id"] == a["_id"])
            #expect(r["fact"] == "")
            #expect(r["confidence"] == 95.0)
            #expect(r["metadata"] == .null)
            #expect(r["validUntil"] == 40.0)
            #expect(r["tags"] == ["x"])
            #expect(r["version"] == 1.0)
            #expect(r["updatedAt"] == 20.0)
            #expect(r["entities"] == [["name": "Ann", "type": "person", "fullValue": "Ann B"]])
            #expect(try h.fact(a["factId"]) == r)
            #expect(try h.count("facts") == 1)
            #expect(await h.errorCode("facts:updateInPlace", ["memorySpaceId": "s", "factId": "no"]) == "FACT_NOT_FOUND")
            #expect(await h.errorCode("facts:updateInPlace", ["memorySpaceId": "x", "factId": a["factId"] ?? nil]) == "PERMISSION_DENIED")
            #expect(await h.errorCode("facts:updateInPlace", ["memorySpaceId": "s", "factId": a["factId"] ?? nil, "version": 2]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func tenantBoundKeysOnlyReachTheirTenantsFacts() async throws {
        try await withCatalogue { h in
            let bound = Caller(tenantId: "t1")
            let mine = try await h.storeFact("s", "mine", at: 10, caller: bound)
            let theirs = try await h.storeFact("s", "theirs", at: 11, ["tenantId": "t2"])
            let global = try await h.storeFact("s", "global", at: 12)
            for name in ["facts:update", "facts:deleteFact", "facts:updateInPlace"] {
                #expect(await h.errorCode(name, ["memorySpaceId": "s", "factId": theirs["factId"] ?? nil], caller: bound) == "FACT_NOT_FOUND")
                #expect(await h.errorCode(name, ["memorySpaceId": "s", "factId": global["factId"] ?? nil], caller: bound) == "FACT_NOT_FOUND")
            }
            #expect(await h.errorCode(
                "facts:supersede", ["memorySpaceId": "s", "oldFactId": mine["factId"] ?? nil, "newFactId": theirs["factId"] ?? nil],
                caller: bound) == "NEW_FACT_NOT_FOUND")
            #expect(try await h.call("facts:get", ["memorySpaceId": "s", "factId": theirs["factId"] ?? nil], caller: bound) == .null)
            #expect(try await h.ids("facts:list", ["memorySpaceId": "s"], caller: bound) == [mine["factId"]])
            #expect(try await h.call("facts:count", ["memorySpaceId": "s"], caller: bound) == 1.0)
            #expect(try await h.ids("facts:list", ["memorySpaceId": "s"]) == [mine["factId"], theirs["factId"], global["factId"]])
            let updated = try await h.call("facts:update", ["memorySpaceId": "s", "factId": mine["factId"] ?? nil], caller: bound)
            #expect(updated["tenantId"] == "t1")
        }
    }
}
