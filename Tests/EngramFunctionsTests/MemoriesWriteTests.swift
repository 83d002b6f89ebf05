import EngramCore
import EngramFunctions
import Testing

/// `memories` mutations on one memory: store, update (versions), deleteMemory,
/// archive and restoreFromArchive.
@Suite struct MemoriesWriteTests {
    @Test func storeWritesVersionOneWithOnlyTheGivenFields() async throws {
        try await withCatalogue { h in
            h.fixedNow = 1000
            let m = try await h.call(
                "memories:store",
                ["memorySpaceId": "s", "content": "User likes tea", "contentType": "raw", "sourceType": "conversation",
                 "importance": 70, "tags": ["drinks", "drinks"]])
            #expect(m.keyList == requiredMemoryKeys)
            #expect(m["memoryId"]?.isLogicalID(prefix: "mem", now: 1000) == true)
            #expect(m["sourceTimestamp"] == 1000.0)
            #expect(m["createdAt"] == 1000.0)
            #expect(m["updatedAt"] == 1000.0)
            #expect(m["version"] == 1.0)
            #expect(m["previousVersions"] == [])
            #expect(m["accessCount"] == 0.0)
            #expect(m["tags"] == ["drinks", "drinks"])  // duplicates kept
            #expect(m["_creationTime"]?.doubleValue.map { $0 >= 1000 && $0 < 1001 } == true)
            #expect(try h.memory(m["memoryId"]) == m)
            let again = try await h.call(
                "memories:store",
                ["memorySpaceId": "s", "content": "", "contentType": "raw", "sourceType": "conversation", "importance": 70,
                 "tags": []])
            #expect(again["memoryId"] != m["memoryId"])  // not idempotent; empty content accepted
        }
    }

    @Test func storeKeepsEveryOptionalFieldAndTheSDKsNestedNulls() async throws {
        try await withCatalogue { h in
            h.fixedNow = 2000
            let m = try await h.call(
                "memories:store",
                ["memorySpaceId": "s", "participantId": "bot", "tenantId": "t", "content": "c", "contentType": "summarized",
                 "embedding": [1, 0.5, -2], "sourceType": "a2a", "sourceUserId": "su", "sourceUserName": "Sue", "userId": "u",
                 "agentId": "a", "messageRole": "user", "enrichedContent": "e", "factCategory": "f",
                 "conversationRef": ["conversationId": "c1", "messageIds": ["m1"]],
                 "immutableRef": ["type": "kb", "id": "k", "version": nil],
                 "mutableRef": ["namespace": "n", "key": "k", "snapshotValue": nil, "snapshotAt": 5],
                 "factsRef": ["factId": "f1", "version": 2], "importance": 0, "tags": ["x"]])
            #expect(m.keyList == [
                "_id", "_creationTime", "memoryId", "memorySpaceId", "participantId", "tenantId", "content", "contentType",
                "embedding", "sourceType", "sourceUserId", "sourceUserName", "sourceTimestamp", "messageRole", "userId",
                "agentId", "conversationRef", "immutableRef", "mutableRef", "factsRef", "importance", "tags",
                "enrichedContent", "factCategory", "version", "previousVersions", "createdAt", "updatedAt", "accessCount",
            ])
            // Stored exactly as given: float64 numbers in an array, never a float32 vector.
            #expect(m["embedding"] == .array([.double(1), .double(0.5), .double(-2)]))
            if case .array = m["embedding"] {} else { Issue.record("embedding is not an array") }
            #expect(m["immutableRef"] == ["type": "kb", "id": "k"])  // nested null = absent
            #expect(m["mutableRef"] == ["namespace": "n", "key": "k", "snapshotValue": nil, "snapshotAt": 5.0])
            #expect(m["factsRef"] == ["factId": "f1", "version": 2.0])
            #expect(m["importance"] == 0.0)
            let n = try await h.storeMemory("s", "x", ["participantId": nil, "embedding": nil])
            #expect(n.keyList == requiredMemoryKeys)
        }
    }

    @Test func storeValidatesArguments() async throws {
        try await withCatalogue { h in
            let base: ValueMap = [
                "memorySpaceId": "s", "content": "c", "contentType": "raw", "sourceType": "tool", "importance": 1, "tags": [],
            ]
            func with(_ change: ValueMap, removing: String? = nil) -> ValueMap {
                var a = base
                if let removing { a.removeValue(forKey: removing) }
                for (k, v) in change { a[k] = v }
                return a
            }
            #expect(await h.errorCode("memories:store", base) == nil)
            for missing in ["memorySpaceId", "content", "contentType", "sourceType", "importance", "tags"] {
                #expect(await h.errorCode("memories:store", with([:], removing: missing)) == "ARGUMENT_VALIDATION_ERROR")
            }
            #expect(await h.errorCode("memories:store", with(["contentType": "Raw"])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:store", with(["sourceType": "manual"])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:store", with(["sourceType": "fact-extraction"])) == nil)
            #expect(await h.errorCode("memories:store", with(["messageRole": "assistant"])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:store", with(["embedding": ["x"]])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:store", with(["importance": nil])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:store", with(["conversationRef": ["conversationId": "c"]])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode(
                "memories:store", with(["conversationRef": ["conversationId": "c", "messageIds": [], "x": 1]])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode(
                "memories:store", with(["mutableRef": ["namespace": "n", "key": "k", "snapshotAt": 1]])) == "ARGUMENT_VALIDATION_ERROR")
            for undeclared in ["metadata", "memoryId", "sourceTimestamp", "isPartial", "version"] {
                let e = await h.error("memories:store", with([undeclared: "x"]))
                #expect(e?.code == .argumentValidation)
                #expect(e?.message.hasPrefix("ArgumentValidationError") == true)
                #expect(e?.message.contains(undeclared) == true)
            }
        }
    }

    @Test func storeByATenantBoundKeyWritesItsTenant() async throws {
        try await withCatalogue { h in
            let bound = Caller(tenantId: "t1")
            let m = try await h.storeMemory("s", "x", caller: bound)
            #expect(m["tenantId"] == "t1")
            #expect(await h.errorCode(
                "memories:store",
                ["memorySpaceId": "s", "content": "c", "contentType": "raw", "sourceType": "tool", "importance": 1, "tags": [],
                 "tenantId": "t2"], caller: bound) == "FORBIDDEN")
        }
    }

    @Test func updateRecordsTheReplacedStateAsAVersion() async throws {
        try await withCatalogue { h in
            let m = try await h.storeMemory("s", "a", at: 1000, ["embedding": [1, 0], "importance": 80, "tags": ["t"]])
            let id = m["memoryId"] ?? nil
            h.fixedNow = 2000
            let v2 = try await h.call(
                "memories:update", ["memorySpaceId": "s", "memoryId": id, "content": "b", "importance": 0, "tags": []])
            #expect(v2.keyList == m.keyList)
            #expect(v2["content"] == "b")
            #expect(v2["importance"] == 0.0)  // 0 applies
            #expect(v2["tags"] == [])
            #expect(v2["embedding"] == [1.0, 0.0])
            #expect(v2["version"] == 2.0)
            #expect(v2["updatedAt"] == 2000.0)
            #expect(v2["createdAt"] == 1000.0)
            #expect(v2["sourceTimestamp"] == 1000.0)
            #expect(v2["previousVersions"] == [["version": 1.0, "content": "a", "embedding": [1.0, 0.0], "timestamp": 1000.0]])
            #expect(try h.memory(id) == v2)
            h.fixedNow = 3000
            let v3 = try await h.call("memories:update", ["memorySpaceId": "s", "memoryId": id, "content": "", "embedding": []])
            #expect(v3["content"] == "b")  // "" keeps the content
            #expect(v3["embedding"] == [])  // an empty embedding replaces
            #expect(v3["version"] == 3.0)
            h.fixedNow = 4000
            let v4 = try await h.call("memories:update", ["memorySpaceId": "s", "memoryId": id])  // still a version
            #expect(v4["version"] == 4.0)
            #expect(v4["previousVersions"]?.items.map { $0.keyList } == [
                ["version", "content", "embedding", "timestamp"], ["version", "content", "embedding", "timestamp"],
                ["version", "content", "embedding", "timestamp"],
            ])
            let plain = try await h.storeMemory("s", "p", at: 5000)
            h.fixedNow = 6000
            let p2 = try await h.call("memories:update", ["memorySpaceId": "s", "memoryId": plain["memoryId"] ?? nil, "content": "q"])
            #expect(p2["previousVersions"] == [["version": 1.0, "content": "p", "timestamp": 5000.0]])  // no embedding key
        }
    }

    @Test func updateErrorsAndValidation() async throws {
        try await withCatalogue { h in
            let m = try await h.storeMemory("s", "a")
            let id = m["memoryId"] ?? nil
            #expect(await h.errorCode("memories:update", ["memorySpaceId": "s", "memoryId": "mem-missing"]) == "MEMORY_NOT_FOUND")
            #expect(await h.errorCode("memories:update", ["memorySpaceId": "other", "memoryId": "mem-missing"]) == "MEMORY_NOT_FOUND")
            #expect(await h.errorCode("memories:update", ["memorySpaceId": "other", "memoryId": id]) == "PERMISSION_DENIED")
            #expect(await h.error("memories:update", ["memorySpaceId": "other", "memoryId": id])?.isCoded == true)
            #expect(await h.errorCode("memories:update", ["memoryId": id]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:update", ["memorySpaceId": "s", "memoryId": id, "sourceType": "tool"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:update", ["memorySpaceId": "s", "memoryId": id, "content": nil]) == nil)
            #expect(try h.memory(id)?["content"] == "a")
        }
    }

    @Test func updateKeepsOnlyTheConfiguredNumberOfVersions() async throws {
        try await withCatalogue { h in
            h.settings.versionRetention = 2
            let m = try await h.storeMemory("s", "v1", at: 1000)
            for (i, text) in ["v2", "v3", "v4"].enumerated() {
                h.fixedNow = UInt64(2000 + i * 1000)
                try await h.call("memories:update", ["memorySpaceId": "s", "memoryId": m["memoryId"] ?? nil, "content": .string(text)])
            }
            let stored = try #require(try h.memory(m["memoryId"]))
            #expect(stored["version"] == 4.0)
            #expect(stored["previousVersions"]?.items.map { $0["content"] } == ["v2", "v3"])
        }
    }

    @Test func deleteMemoryChecksTheSpaceAndIsNotIdempotent() async throws {
        try await withCatalogue { h in
            let m = try await h.storeMemory("s", "a")
            let id = m["memoryId"] ?? nil
            #expect(await h.errorCode("memories:deleteMemory", ["memorySpaceId": "t", "memoryId": id]) == "PERMISSION_DENIED")
            #expect(try h.memory(id) != nil)
            let r = try await h.call("memories:deleteMemory", ["memorySpaceId": "s", "memoryId": id])
            #expect(r.keyList == ["deleted", "memoryId"])
            #expect(r == ["deleted": true, "memoryId": id])
            #expect(try h.memory(id) == nil)
            #expect(await h.errorCode("memories:deleteMemory", ["memorySpaceId": "s", "memoryId": id]) == "MEMORY_NOT_FOUND")
            #expect(await h.errorCode("memories:deleteMemory", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func archiveTagsAndCapsImportanceAndRestoreUndoesIt() async throws {
        try await withCatalogue { h in
            let m = try await h.storeMemory("s", "a", at: 1000, ["importance": 80, "tags": ["x"]])
            let id = m["memoryId"] ?? nil
            h.fixedNow = 2000
            let a = try await h.call("memories:archive", ["memorySpaceId": "s", "memoryId": id])
            #expect(a.keyList == ["archived", "memoryId", "restorable"])
            #expect(a == ["archived": true, "memoryId": id, "restorable": true])
            var stored = try #require(try h.memory(id))
            #expect(stored["tags"] == ["x", "archived"])
            #expect(stored["importance"] == 10.0)
            #expect(stored["updatedAt"] == 2000.0)
            #expect(stored["version"] == 1.0)
            #expect(try await h.call("memories:get", ["memorySpaceId": "s", "memoryId": id]) == stored)  // still visible
            h.fixedNow = 3000
            try await h.call("memories:archive", ["memorySpaceId": "s", "memoryId": id])  // repeatable
            stored = try #require(try h.memory(id))
            #expect(stored["tags"] == ["x", "archived"])
            #expect(stored["updatedAt"] == 3000.0)
            h.fixedNow = 4000
            let r = try await h.call("memories:restoreFromArchive", ["memorySpaceId": "s", "memoryId": id])
            #expect(r.keyList == ["restored", "memoryId", "memory"])
            #expect(r["restored"] == true)
            #expect(r["memory"]?["tags"] == ["x"])
            #expect(r["memory"]?["importance"] == 50.0)  // 80 → 10 → 50: the original is not recovered
            #expect(r["memory"]?["updatedAt"] == 4000.0)
            #expect(r["memory"] == (try h.memory(id)))
            #expect(await h.errorCode("memories:restoreFromArchive", ["memorySpaceId": "s", "memoryId": id]) == "MEMORY_NOT_ARCHIVED")
            #expect(await h.error("memories:restoreFromArchive", ["memorySpaceId": "s", "memoryId": id])?.isCoded == true)
        }
    }

    @Test func archiveAndRestoreEdgeCasesAndErrors() async throws {
        try await withCatalogue { h in
            let low = try await h.storeMemory("s", "a", ["importance": 3, "tags": ["archived", "y", "archived"]])
            try await h.call("memories:archive", ["memorySpaceId": "s", "memoryId": low["memoryId"] ?? nil])
            #expect(try h.memory(low["memoryId"])?["importance"] == 3.0)
            #expect(try h.memory(low["memoryId"])?["tags"] == ["archived", "y", "archived"])
            let r = try await h.call("memories:restoreFromArchive", ["memorySpaceId": "s", "memoryId": low["memoryId"] ?? nil])
            #expect(r["memory"]?["tags"] == ["y"])  // every "archived" removed
            #expect(r["memory"]?["importance"] == 50.0)
            let high = try await h.storeMemory("s", "b", ["importance": 70, "tags": ["archived"]])
            let kept = try await h.call("memories:restoreFromArchive", ["memorySpaceId": "s", "memoryId": high["memoryId"] ?? nil])
            #expect(kept["memory"]?["importance"] == 70.0)
            for name in ["memories:archive", "memories:restoreFromArchive"] {
                #expect(await h.errorCode(name, ["memorySpaceId": "s", "memoryId": "nope"]) == "MEMORY_NOT_FOUND")
                #expect(await h.errorCode(name, ["memorySpaceId": "t", "memoryId": high["memoryId"] ?? nil]) == "PERMISSION_DENIED")
                #expect(await h.errorCode(name, ["memoryId": "x"]) == "ARGUMENT_VALIDATION_ERROR")
            }
        }
    }
}
