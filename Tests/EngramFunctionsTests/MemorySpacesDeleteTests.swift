import EngramCore
import EngramFunctions
import EngramStorage
import Testing

/// `memorySpaces:deleteSpace` (with its cascade job) and `memorySpaces:purgeAll`.
@Suite struct MemorySpacesDeleteTests {
    /// A space "s" (global) with data in every cascaded table, plus data of space "keep".
    func populate(_ h: CatalogueHarness) async throws {
        try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team"])
        try await h.call("memorySpaces:register", ["memorySpaceId": "keep", "type": "team"])
        for (space, n) in [("s", 3), ("keep", 1)] {
            for i in 0..<n {
                try await h.seed("conversations", ["conversationId": .string("c\(i)"), "memorySpaceId": .string(space), "tenantId": "tx"])
                try await h.seed("memories", ["memoryId": .string("m\(i)"), "memorySpaceId": .string(space)])
                try await h.seed("memories", ["memoryId": .string("n\(i)"), "memorySpaceId": .string(space)])
            }
            try await h.seed("facts", ["factId": "f", "memorySpaceId": .string(space)])
            try await h.seed("facts", ["factId": "g", "memorySpaceId": .string(space), "supersededBy": "f"])
        }
        try await h.seed("contexts", ["contextId": "x", "memorySpaceId": "s"])
    }

    @Test func cascadeDeletesTheSpacesDataAndReportsCounts() async throws {
        try await withCatalogue(shards: 3) { h in
            try await populate(h)
            h.fixedNow = SystemClock().nowMilliseconds() + 1000
            let r = try await h.call("memorySpaces:deleteSpace", ["memorySpaceId": "s", "cascade": true, "reason": "cleanup"])
            #expect(r.keyList == ["memorySpaceId", "deleted", "cascade", "reason", "deletedAt"])
            #expect(r["memorySpaceId"] == "s")
            #expect(r["deleted"] == true)
            #expect(r["reason"] == "cleanup")
            #expect(r["deletedAt"] == .double(Double(h.fixedNow ?? 0)))
            #expect(
                r["cascade"] == ["conversationsDeleted": 3.0, "memoriesDeleted": 6.0, "factsDeleted": 2.0, "totalBytes": 0.0])
            #expect(try await h.call("memorySpaces:get", ["memorySpaceId": "s"]) == .null)
            #expect(try h.count("conversations") == 1)
            #expect(try h.count("memories") == 2)
            #expect(try h.count("facts") == 2)
            #expect(try h.count("contexts") == 1)  // not cascaded
            #expect(try await h.call("memorySpaces:get", ["memorySpaceId": "keep"])["memorySpaceId"] == "keep")
            #expect(try CascadeJobs.pending(in: h.db).isEmpty)
            #expect(try h.count("engramCascadeProgress") == 0)
            // Not idempotent.
            #expect(
                await h.errorCode("memorySpaces:deleteSpace", ["memorySpaceId": "s", "cascade": true, "reason": "again"])
                    == "MEMORYSPACE_NOT_FOUND")
        }
    }

    @Test func withoutCascadeOnlyTheRecordGoes() async throws {
        try await withCatalogue { h in
            try await populate(h)
            let r = try await h.call("memorySpaces:deleteSpace", ["memorySpaceId": "s", "cascade": false, "reason": "r", "confirmId": "s"])
            #expect(r["cascade"] == ["conversationsDeleted": 0.0, "memoriesDeleted": 0.0, "factsDeleted": 0.0, "totalBytes": 0.0])
            #expect(try h.count("memories") == 8)
            #expect(try h.count("memorySpaces") == 1)
            #expect(try CascadeJobs.pending(in: h.db).isEmpty)
        }
    }

    @Test func confirmIdIsCheckedFirstThenTheTenantRule() async throws {
        try await withCatalogue { h in
            #expect(
                await h.errorCode("memorySpaces:deleteSpace", ["memorySpaceId": "none", "cascade": true, "reason": "r", "confirmId": ""])
                    == "CONFIRM_ID_MISMATCH")
            #expect(await h.errorCode("memorySpaces:deleteSpace", ["memorySpaceId": "none", "cascade": true, "reason": "r"]) == "MEMORYSPACE_NOT_FOUND")
            try await h.call("memorySpaces:register", ["memorySpaceId": "t", "type": "team", "tenantId": "t1"])
            #expect(await h.errorCode("memorySpaces:deleteSpace", ["memorySpaceId": "t", "cascade": false, "reason": "r"]) == "MEMORYSPACE_NOT_FOUND")
            #expect(
                await h.errorCode("memorySpaces:deleteSpace", ["memorySpaceId": "t", "cascade": false, "reason": "r"], caller: Caller(tenantId: "t2"))
                    == "MEMORYSPACE_NOT_FOUND")
            let r = try await h.call("memorySpaces:deleteSpace", ["memorySpaceId": "t", "tenantId": "t1", "cascade": false, "reason": "r"])
            #expect(r["deleted"] == true)
            #expect(try h.count("memorySpaces") == 0)
            #expect(await h.errorCode("memorySpaces:deleteSpace", ["memorySpaceId": "t", "reason": "r"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memorySpaces:deleteSpace", ["memorySpaceId": "t", "cascade": "yes", "reason": "r"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func purgeAllIsGatedAndDeletesEverySpace() async throws {
        try await withCatalogue(allowPurge: false) { h in
            try await h.call("memorySpaces:register", ["memorySpaceId": "a", "type": "team"])
            let gated = await h.error("memorySpaces:purgeAll")
            #expect(gated?.code == .purgeDisabled)
            #expect(gated?.message == "PURGE_DISABLED_IN_PRODUCTION: purgeAll is only available in test/dev environments.")
            #expect(gated?.isCoded == false)
            h.settings.allowPurge = true
            try await h.call("memorySpaces:register", ["memorySpaceId": "b", "type": "team", "tenantId": "t1"])
            #expect(await h.errorCode("memorySpaces:purgeAll", [:], caller: Caller(tenantId: "t1")) == "FORBIDDEN")
            #expect(await h.errorCode("memorySpaces:purgeAll", ["all": true]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(try await h.call("memorySpaces:purgeAll") == ["deleted": 2.0])
            #expect(try h.count("memorySpaces") == 0)
            #expect(try await h.call("memorySpaces:purgeAll") == ["deleted": 0.0])
        }
    }
}
