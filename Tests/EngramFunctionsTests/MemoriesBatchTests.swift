import EngramCore
import EngramFunctions
import Testing

/// `memories` mutations on many memories (deleteMany, deleteByIds, updateMany,
/// purgeAll) and `exportMemories`.
@Suite struct MemoriesBatchTests {
    @Test func deleteManyDeletesTheSpacesMatchesOldestFirst() async throws {
        try await withCatalogue { h in
            let a = try await h.storeMemory("s", "a", at: 1, ["userId": "u"])
            let b = try await h.storeMemory("s", "b", at: 2, ["sourceUserId": "u", "sourceType": "tool"])
            let c = try await h.storeMemory("s", "c", at: 3, ["userId": "v", "sourceType": "tool"])
            let other = try await h.storeMemory("t", "d", at: 4, ["userId": "u"])
            let byUser = try await h.call("memories:deleteMany", ["memorySpaceId": "s", "userId": "u"])
            #expect(byUser.keyList == ["deleted", "memoryIds"])
            #expect(byUser == ["deleted": 2.0, "memoryIds": [a["memoryId"] ?? nil, b["memoryId"] ?? nil]])  // userId or sourceUserId
            #expect(try h.memory(other["memoryId"]) != nil)
            #expect(try await h.call("memories:deleteMany", ["memorySpaceId": "s", "sourceType": "system"]) == ["deleted": 0.0, "memoryIds": []])
            #expect(await h.errorCode("memories:deleteMany", ["memorySpaceId": "s", "sourceType": "fact-extraction"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:deleteMany", ["memorySpaceId": "s", "participantId": "p"]) == "ARGUMENT_VALIDATION_ERROR")
            try await h.storeMemory("s", "e", at: 5)
            let all = try await h.call("memories:deleteMany", ["memorySpaceId": "s"])
            #expect(all["deleted"] == 2.0)
            #expect(all["memoryIds"]?.items.first == c["memoryId"])
            #expect(try h.count("memories") == 1)
        }
    }

    @Test func deleteByIdsDeletesAcrossSpacesInInputOrder() async throws {
        try await withCatalogue(shards: 3) { h in
            let (s1, s2) = h.namesInDifferentShards("space")
            let a = try await h.storeMemory(s1, "a", at: 1)["memoryId"] ?? nil
            let b = try await h.storeMemory(s2, "b", at: 2)["memoryId"] ?? nil
            let c = try await h.storeMemory(s1, "c", at: 3)["memoryId"] ?? nil
            let r = try await h.call("memories:deleteByIds", ["memoryIds": [b, "nope", a, b]])
            #expect(r.keyList == ["deleted", "memoryIds"])
            #expect(r == ["deleted": 2.0, "memoryIds": [b, a]])  // a repeated id is deleted and reported once
            #expect(try h.memory(c) != nil)
            #expect(try await h.call("memories:deleteByIds", ["memoryIds": []]) == ["deleted": 0.0, "memoryIds": []])
            #expect(await h.errorCode("memories:deleteByIds", [:]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:deleteByIds", ["memoryIds": [1]]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func deleteByIdsRepeatsLookupsLikeTheReference() async throws {
        try await withCatalogue(shards: 3) { h in
            let (s1, s2) = h.namesInDifferentShards("space")
            let base: ValueMap = ["memoryId": "dup", "content": "x", "contentType": "raw", "sourceType": "system", "importance": 1, "tags": []]
            try await h.seed("memories", merged(base, ["memorySpaceId": .string(s2)]), now: 1)
            try await h.seed("memories", merged(base, ["memorySpaceId": .string(s1)]), now: 2)
            try await h.seed("memories", merged(base, ["memorySpaceId": .string(s1)]), now: 3)
            // Each lookup sees the deletions before it: two listings delete the two oldest.
            let r = try await h.call("memories:deleteByIds", ["memoryIds": ["dup", "dup"]])
            #expect(r == ["deleted": 2.0, "memoryIds": ["dup", "dup"]])
            let left = try h.documents("memories")
            #expect(left.map { $0.fields["memorySpaceId"] } == [.string(s1)])
            #expect(left.first?.creationTime.rounded(.down) == 3)
        }
    }

    @Test func updateManyPatchesWithoutVersioning() async throws {
        try await withCatalogue { h in
            let a = try await h.storeMemory("s", "a", at: 1, ["userId": "u", "importance": 10, "tags": ["x"]])
            let b = try await h.storeMemory("s", "b", at: 2, ["sourceUserId": "u", "sourceType": "tool"])
            let c = try await h.storeMemory("s", "c", at: 3, ["userId": "u", "sourceType": "tool"])
            h.fixedNow = 100
            let r = try await h.call("memories:updateMany", ["memorySpaceId": "s", "userId": "u", "importance": 90, "tags": ["new"]])
            #expect(r.keyList == ["updated", "memoryIds"])
            // userId only (not sourceUserId); `tags` is the new value, not a filter.
            #expect(r == ["updated": 2.0, "memoryIds": [a["memoryId"] ?? nil, c["memoryId"] ?? nil]])
            let stored = try #require(try h.memory(a["memoryId"]))
            #expect(stored["importance"] == 90.0)
            #expect(stored["tags"] == ["new"])
            #expect(try h.memory(c["memoryId"])?["tags"] == ["new"])
            try await h.call("memories:updateMany", ["memorySpaceId": "s", "userId": "u", "tags": []])
            #expect(try h.memory(a["memoryId"])?["tags"] == [])
            #expect(stored["updatedAt"] == 100.0)
            #expect(stored["version"] == 1.0)
            #expect(stored["previousVersions"] == [])
            #expect(stored.keyList == a.keyList)
            #expect(try h.memory(b["memoryId"])?["updatedAt"] == 2.0)
            h.fixedNow = 200
            let bare = try await h.call("memories:updateMany", ["memorySpaceId": "s", "sourceType": "tool"])
            #expect(bare["updated"] == 2.0)
            #expect(try h.memory(b["memoryId"])?["updatedAt"] == 200.0)  // only updatedAt moves
            #expect(try h.memory(b["memoryId"])?["importance"] == 50.0)
            #expect(try await h.call("memories:updateMany", ["memorySpaceId": "none", "importance": 1]) == ["updated": 0.0, "memoryIds": []])
            #expect(await h.errorCode("memories:updateMany", ["memorySpaceId": "s", "sourceType": "fact-extraction"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:updateMany", ["memorySpaceId": "s", "content": "x"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func purgeAllIsGated() async throws {
        try await withCatalogue(allowPurge: false) { h in
            try await h.storeMemory("s", "a")
            let e = await h.error("memories:purgeAll")
            #expect(e?.code.rawValue == "PURGE_DISABLED_IN_PRODUCTION")
            #expect(e?.message == "PURGE_DISABLED_IN_PRODUCTION: purgeAll is only available in test/dev environments. Use deleteMany with specific memorySpaceId for targeted deletions.")
            #expect(e?.isCoded == false)
            #expect(try h.count("memories") == 1)
            h.settings.allowPurge = true
            #expect(await h.errorCode("memories:purgeAll", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
            for i in 0..<5 { try await h.storeMemory("s\(i)", "x") }
            #expect(try await h.call("memories:purgeAll") == ["deleted": 6.0])
            #expect(try h.count("memories") == 0)
        }
    }

    static let t: UInt64 = 1_700_000_000_000

    /// Space `s`: A (user u, commas, a newline, embedding), B (source user u, no
    /// embedding), C (user v, empty embedding); space `t`: one memory.
    func seedExport(_ h: CatalogueHarness) async throws -> (String, String, String) {
        let a = try await h.storeMemory(
            "s", "Hello, world\nline 2", at: Self.t,
            ["userId": "u", "sourceType": "conversation", "importance": 75.5, "tags": ["a", "b"], "embedding": [0.1, 2]])
        let b = try await h.storeMemory("s", "plain \"quoted\"", at: Self.t + 1, ["sourceUserId": "u"])
        let c = try await h.storeMemory("s", "c,", at: Self.t + 2, ["userId": "v", "embedding": [], "tags": ["x"]])
        try await h.storeMemory("t", "elsewhere", at: Self.t + 3)
        h.fixedNow = Self.t + 10
        return (a["memoryId"]?.stringValue ?? "", b["memoryId"]?.stringValue ?? "", c["memoryId"]?.stringValue ?? "")
    }

    @Test func exportMemoriesAsJSON() async throws {
        try await withCatalogue { h in
            let (a, b, c) = try await seedExport(h)
            let r = try await h.call(
                "memories:exportMemories", ["memorySpaceId": "s", "format": "json", "userId": "u", "includeFacts": false])
            #expect(r.keyList == ["format", "data", "count", "exportedAt"])
            #expect(r["format"] == "json")
            #expect(r["count"] == 2.0)
            #expect(r["exportedAt"] == .double(Double(Self.t + 10)))
            let expected = """
                [
                  {
                    "memoryId": "\(a)",
                    "content": "Hello, world\\nline 2",
                    "sourceType": "conversation",
                    "importance": 75.5,
                    "tags": [
                      "a",
                      "b"
                    ],
                    "createdAt": 1700000000000
                  },
                  {
                    "memoryId": "\(b)",
                    "content": "plain \\"quoted\\"",
                    "sourceType": "system",
                    "importance": 50,
                    "tags": [],
                    "createdAt": 1700000000001
                  }
                ]
                """
            #expect(r["data"]?.stringValue == expected)
            let embedded = try await h.call("memories:exportMemories", ["memorySpaceId": "s", "format": "json", "includeEmbeddings": true])
            #expect(embedded["count"] == 3.0)
            let data = embedded["data"]?.stringValue ?? ""
            #expect(data.contains("\"createdAt\": 1700000000000,\n    \"embedding\": [\n      0.1,\n      2\n    ]\n  },"))
            #expect(data.contains("\"memoryId\": \"\(c)\""))
            #expect(data.contains("\"createdAt\": 1700000000002,\n    \"embedding\": []\n  }\n]"))  // an empty embedding is included
            #expect(data.contains("\"createdAt\": 1700000000001\n  },"))  // B has none
            let empty = try await h.call("memories:exportMemories", ["memorySpaceId": "none", "format": "json"])
            #expect(empty["data"] == "[]")
            #expect(empty["count"] == 0.0)
        }
    }

    @Test func exportMemoriesAsCSV() async throws {
        try await withCatalogue { h in
            let (a, b, c) = try await seedExport(h)
            let r = try await h.call(
                "memories:exportMemories", ["memorySpaceId": "s", "format": "csv", "includeEmbeddings": true, "includeFacts": true])
            let expected = [
                "memoryId,content,sourceType,importance,tags,createdAt",
                "\(a),Hello; world\nline 2,conversation,75.5,a;b,2023-11-14T22:13:20.000Z",
                "\(b),plain \"quoted\",system,50,,2023-11-14T22:13:20.001Z",
                "\(c),c;,system,50,x,2023-11-14T22:13:20.002Z",
            ].joined(separator: "\n")
            #expect(r["data"]?.stringValue == expected)
            #expect(r["count"] == 3.0)
            #expect(r["format"] == "csv")
            let empty = try await h.call("memories:exportMemories", ["memorySpaceId": "none", "format": "csv"])
            #expect(empty["data"] == "memoryId,content,sourceType,importance,tags,createdAt")
            #expect(await h.errorCode("memories:exportMemories", ["memorySpaceId": "s", "format": "xml"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:exportMemories", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memories:exportMemories", ["memorySpaceId": "s", "format": "csv", "includeFacts": "no"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }
}
