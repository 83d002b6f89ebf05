import EngramCore
import EngramFunctions
import Testing

/// The streaming lifecycle: storePartialMemory → updatePartialMemory → finalizePartialMemory
/// (or deleteMemory as rollback), with the arguments `remember_stream` sends.
@Suite struct MemoriesStreamingTests {
    /// `storePartialMemory` as the SDK's streaming handler sends it.
    func startStream(_ h: CatalogueHarness, userId: Value = "user-1", caller: Caller = .unbound) async throws -> Value {
        try await h.call(
            "memories:storePartialMemory",
            ["memorySpaceId": "s", "participantId": "agent", "conversationId": "conv-1", "userId": userId,
             "content": "[Streaming in progress...]", "isPartial": true,
             "metadata": ["userMessage": "hi", "streamStartTime": 1000], "importance": 50,
             "tags": ["t", "streaming", "partial"]], caller: caller)
    }

    @Test func storePartialMemoryReturnsTheIdsOfAPlaceholder() async throws {
        try await withCatalogue { h in
            h.fixedNow = 1000
            let r = try await startStream(h)
            #expect(r.keyList == ["memoryId", "_id"])
            #expect(r["memoryId"]?.isLogicalID(prefix: "mem-partial", now: 1000) == true)
            let m = try #require(try h.memory(r["memoryId"]))
            #expect(m["_id"] == r["_id"])
            #expect(m.keyList == [
                "_id", "_creationTime", "memoryId", "memorySpaceId", "participantId", "content", "contentType", "sourceType",
                "sourceTimestamp", "userId", "conversationRef", "importance", "tags", "version", "previousVersions",
                "createdAt", "updatedAt", "accessCount", "isPartial", "partialMetadata",
            ])
            #expect(m["contentType"] == "raw")
            #expect(m["sourceType"] == "conversation")
            #expect(m["conversationRef"] == ["conversationId": "conv-1", "messageIds": []])
            #expect(m["isPartial"] == true)
            #expect(m["partialMetadata"] == ["userMessage": "hi", "streamStartTime": 1000.0])
            #expect(m["sourceTimestamp"] == 1000.0)
            // Agent-only streams send userId "" (stored verbatim); isPartial false and a null metadata are stored too.
            let bare = try await h.call(
                "memories:storePartialMemory",
                ["memorySpaceId": "s", "conversationId": "c", "userId": "", "content": "", "isPartial": false,
                 "metadata": nil, "importance": 0, "tags": []])
            let b = try #require(try h.memory(bare["memoryId"]))
            #expect(b["userId"] == "")
            #expect(b["isPartial"] == false)
            #expect(b["partialMetadata"] == .null)
            #expect(b["participantId"] == nil)
            // The placeholder is an ordinary memory for the reads.
            #expect(try await h.call("memories:count", ["memorySpaceId": "s"]) == 2.0)
            #expect(try await h.call("memories:get", ["memorySpaceId": "s", "memoryId": r["memoryId"] ?? nil]) == m)
        }
    }

    @Test func storePartialMemoryValidatesArguments() async throws {
        try await withCatalogue { h in
            let base: ValueMap = [
                "memorySpaceId": "s", "conversationId": "c", "userId": "u", "content": "x", "isPartial": true,
                "metadata": [:], "importance": 1, "tags": [],
            ]
            #expect(await h.errorCode("memories:storePartialMemory", base) == nil)
            for missing in ["memorySpaceId", "conversationId", "userId", "content", "isPartial", "metadata", "importance", "tags"] {
                var args = base
                args.removeValue(forKey: missing)
                #expect(await h.errorCode("memories:storePartialMemory", args) == "ARGUMENT_VALIDATION_ERROR")
            }
            #expect(await h.errorCode("memories:storePartialMemory", merged(base, ["isPartial": "yes"])) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:storePartialMemory", merged(base, ["embedding": [1]])) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func updateThenFinalizeTheStreamedMemory() async throws {
        try await withCatalogue { h in
            h.fixedNow = 1000
            let id = try await startStream(h)["memoryId"] ?? nil
            h.fixedNow = 2000
            let u = try await h.call(
                "memories:updatePartialMemory",
                ["memoryId": id, "content": "Hello wor", "metadata": ["lastUpdateTime": 2000, "currentChunk": 3, "contentLength": 9]])
            #expect(u == ["success": true])
            var m = try #require(try h.memory(id))
            #expect(m["content"] == "Hello wor")
            #expect(m["partialMetadata"] == ["lastUpdateTime": 2000.0, "currentChunk": 3.0, "contentLength": 9.0])
            #expect(m["updatedAt"] == 2000.0)
            #expect(m["version"] == 1.0)
            #expect(m["previousVersions"] == [])
            #expect(m["isPartial"] == true)
            #expect(m["tags"] == ["t", "streaming", "partial"])
            h.fixedNow = 3000
            let f = try await h.call(
                "memories:finalizePartialMemory",
                ["memoryId": id, "content": "Hello world", "embedding": [0.5, 0.5],
                 "metadata": ["streamCompleteTime": 3000, "totalUpdates": 1, "finalContentLength": 11]])
            #expect(f == ["success": true])
            m = try #require(try h.memory(id))
            #expect(m["content"] == "Hello world")
            #expect(m["embedding"] == [0.5, 0.5])
            #expect(m["isPartial"] == false)
            #expect(m["tags"] == ["t"])
            #expect(m["partialMetadata"] == ["streamCompleteTime": 3000.0, "totalUpdates": 1.0, "finalContentLength": 11.0])
            #expect(m["updatedAt"] == 3000.0)
            #expect(m["version"] == 1.0)
            // Finalizing again without an embedding removes it; partial updates still apply afterwards.
            h.fixedNow = 4000
            try await h.call("memories:finalizePartialMemory", ["memoryId": id, "content": "Hello", "metadata": nil])
            m = try #require(try h.memory(id))
            #expect(m["embedding"] == nil)
            #expect(m["partialMetadata"] == .null)
            try await h.call("memories:updatePartialMemory", ["memoryId": id, "content": "again", "metadata": 1])
            #expect(try h.memory(id)?["content"] == "again")
        }
    }

    @Test func partialUpdatesNeedAMemoryButNoSpace() async throws {
        try await withCatalogue { h in
            for name in ["memories:updatePartialMemory", "memories:finalizePartialMemory"] {
                #expect(await h.errorCode(name, ["memoryId": "nope", "content": "x", "metadata": nil]) == "MEMORY_NOT_FOUND")
                #expect(await h.error(name, ["memoryId": "nope", "content": "x", "metadata": nil])?.isCoded == true)
                #expect(await h.errorCode(name, ["memoryId": "nope", "content": "x"]) == "ARGUMENT_VALIDATION_ERROR")
                #expect(await h.errorCode(name, ["memoryId": "x", "content": "x", "metadata": nil, "memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
            }
            // Any memory can be patched, streamed or not, and finalize adds isPartial.
            let plain = try await h.storeMemory("s", "plain", ["tags": ["partial", "k"], "embedding": [1]])
            try await h.call("memories:finalizePartialMemory", ["memoryId": plain["memoryId"] ?? nil, "content": "done", "metadata": [:]])
            let m = try #require(try h.memory(plain["memoryId"]))
            #expect(m["tags"] == ["k"])
            #expect(m["embedding"] == nil)
            #expect(m.keyList.suffix(2) == ["isPartial", "partialMetadata"])
        }
    }

    @Test func rollbackDeletesThePlaceholder() async throws {
        try await withCatalogue { h in
            let id = try await startStream(h)["memoryId"] ?? nil
            let r = try await h.call("memories:deleteMemory", ["memorySpaceId": "s", "memoryId": id])
            #expect(r["deleted"] == true)
            #expect(try h.memory(id) == nil)
        }
    }

    @Test func aTenantBoundStreamStoresItsTenantAndStaysInIt() async throws {
        try await withCatalogue { h in
            let bound = Caller(tenantId: "t1")
            let id = try await startStream(h, caller: bound)["memoryId"] ?? nil
            #expect(try h.memory(id)?["tenantId"] == "t1")
            try await h.call("memories:updatePartialMemory", ["memoryId": id, "content": "x", "metadata": nil], caller: bound)
            #expect(await h.errorCode(
                "memories:updatePartialMemory", ["memoryId": id, "content": "y", "metadata": nil], caller: Caller(tenantId: "t2")) == "MEMORY_NOT_FOUND")
            let global = try await h.storeMemory("s", "g")
            #expect(await h.errorCode(
                "memories:finalizePartialMemory", ["memoryId": global["memoryId"] ?? nil, "content": "y", "metadata": nil],
                caller: bound) == "MEMORY_NOT_FOUND")
            #expect(try h.memory(id)?["content"] == "x")
        }
    }
}
