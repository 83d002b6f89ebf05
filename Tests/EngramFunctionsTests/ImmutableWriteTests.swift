import EngramCore
import EngramFunctions
import Testing

/// `immutable:store`, `purge`, `purgeVersions`, `purgeMany` and `purgeAll`.
@Suite struct ImmutableWriteTests {
    static let t0 = Double(CatalogueHarness.now)

    /// Stores (type, id) once per element of `datas`, 10 ms apart starting at `from`.
    static func store(_ h: CatalogueHarness, _ type: String, _ id: String, _ datas: [Value], from: UInt64 = CatalogueHarness.now, extra: ValueMap = [:]) async throws -> Value {
        var last: Value = .null
        for (i, data) in datas.enumerated() {
            h.fixedNow = from + UInt64(i) * 10
            var args: ValueMap = ["type": .string(type), "id": .string(id), "data": data]
            for (k, v) in extra { args[k] = v }
            last = try await h.call("immutable:store", args)
        }
        return last
    }

    @Test func storeCreatesVersionOneWithOnlyTheGivenOptionalFields() async throws {
        try await CatalogueHarness.with { h in
            let r = try await h.call("immutable:store", ["type": "kb", "id": "a1", "data": ["title": "x"]])
            #expect(r == .map(["_id": r["_id"]!, "_creationTime": r["_creationTime"]!, "type": "kb", "id": "a1", "data": ["title": "x"],
                               "version": 1, "previousVersions": [], "createdAt": .double(Self.t0), "updatedAt": .double(Self.t0)]))
            let full = try await h.call(
                "immutable:store", ["type": "kb", "id": "a2", "data": nil, "userId": "u1", "tenantId": "t1", "metadata": nil])
            #expect(keys(full) == ["_id", "_creationTime", "type", "id", "data", "userId", "tenantId", "version", "previousVersions", "metadata", "createdAt", "updatedAt"])
            #expect(full["data"] == .null && full["metadata"] == .null)
        }
    }

    @Test func storeAppendsTheOldVersionToHistory() async throws {
        try await CatalogueHarness.with { h in
            _ = try await Self.store(h, "kb", "a1", [["v": 1]], extra: ["metadata": ["m": 1], "userId": "u1"])
            h.fixedNow = CatalogueHarness.now + 10
            let second = try await h.call("immutable:store", ["type": "kb", "id": "a1", "data": ["v": 2], "userId": "u2", "metadata": 0])
            #expect(second["version"] == 2)
            #expect(second["data"] == ["v": 2])
            #expect(second["metadata"] == ["m": 1])
            #expect(second["userId"] == "u1")
            #expect(second["createdAt"] == .double(Self.t0) && second["updatedAt"] == .double(Self.t0 + 10))
            #expect(second["previousVersions"] == [["version": 1, "data": ["v": 1], "timestamp": .double(Self.t0), "metadata": ["m": 1]]])
            h.fixedNow = CatalogueHarness.now + 20
            let third = try await h.call("immutable:store", ["type": "kb", "id": "a1", "data": ["v": 2], "metadata": ["m": 3]])
            #expect(third["version"] == 3 && third["metadata"] == ["m": 3])
            #expect(items(third["previousVersions"]).map { $0["version"] } == [1, 2])
            #expect(try h.documents("immutable").count == 1)
            // Without metadata, a version entry has no metadata key.
            let plain = try await Self.store(h, "kb", "b1", [1, 2], from: CatalogueHarness.now + 30)
            #expect(keys(items(plain["previousVersions"])[0]) == ["version", "data", "timestamp"])
        }
    }

    @Test func versionRetentionKeepsTheNewestPriorVersions() async throws {
        try await CatalogueHarness.with { h in
            h.settings.versionRetention = 2
            let r = try await Self.store(h, "kb", "a1", [1, 2, 3, 4, 5])
            #expect(r["version"] == 5)
            #expect(items(r["previousVersions"]).map { $0["version"] } == [3, 4])
        }
    }

    @Test func tenantsHaveSeparateRecordsAndGlobalLookupsSkipTenantRecords() async throws {
        try await CatalogueHarness.with { h in
            let tenant = try await Self.store(h, "user", "u1", ["t"], extra: ["tenantId": "t1"])
            let global = try await Self.store(h, "user", "u1", ["g"], from: CatalogueHarness.now + 10)
            #expect(tenant["_id"] != global["_id"] && global["tenantId"] == nil)
            let again = try await Self.store(h, "user", "u1", ["g2"], from: CatalogueHarness.now + 20)
            #expect(again["_id"] == global["_id"] && again["version"] == 2)
            #expect(try await h.call("immutable:get", ["type": "user", "id": "u1"])["data"] == "g2")
            #expect(try await h.call("immutable:get", ["type": "user", "id": "u1", "tenantId": "t1"])["data"] == "t")
            #expect(try await h.call("immutable:get", ["type": "user", "id": "u1"], caller: Caller(tenantId: "t1"))["data"] == "t")
            #expect(try await h.call("immutable:get", ["type": "user", "id": "u1", "tenantId": "t2"]) == .null)
            #expect(try h.documents("immutable").count == 2)
        }
    }

    @Test func purgeDeletesTheRecordAndCountsItsVersions() async throws {
        try await CatalogueHarness.with { h in
            _ = try await Self.store(h, "kb", "a1", [1, 2, 3])
            _ = try await h.call("immutable:purgeVersions", ["type": "kb", "id": "a1", "keepLatest": 2])
            let r = try await h.call("immutable:purge", ["type": "kb", "id": "a1"])
            #expect(r == ["deleted": true, "type": "kb", "id": "a1", "versionsDeleted": 2])
            #expect(await h.errorCode("immutable:purge", ["type": "kb", "id": "a1"]) == "IMMUTABLE_ENTRY_NOT_FOUND")
            _ = try await Self.store(h, "kb", "a2", [1], from: CatalogueHarness.now + 100, extra: ["tenantId": "t1"])
            #expect(await h.errorCode("immutable:purge", ["type": "kb", "id": "a2"]) == "IMMUTABLE_ENTRY_NOT_FOUND")
            #expect(await h.errorCode("immutable:purge", ["type": "kb", "id": "a2"], caller: Caller(tenantId: "t2")) == "IMMUTABLE_ENTRY_NOT_FOUND")
            #expect(try await h.call("immutable:purge", ["type": "kb", "id": "a2", "tenantId": "t1"])["versionsDeleted"] == 1)
        }
    }

    @Test func purgeVersionsTrimsTheOldestAndReportsWhatItRemoved() async throws {
        try await CatalogueHarness.with { h in
            _ = try await Self.store(h, "kb", "a1", [1, 2, 3, 4])
            #expect(try await h.call("immutable:purgeVersions", ["type": "kb", "id": "a1", "keepLatest": 5]) == [
                "versionsPurged": 0, "versionsRemaining": 4,
            ])
            #expect(try await h.call("immutable:purgeVersions", ["type": "kb", "id": "a1", "keepLatest": 2]) == [
                "versionsPurged": 2, "versionsRemaining": 2,
            ])
            let history = try await h.call("immutable:getHistory", ["type": "kb", "id": "a1"])
            #expect(items(history).map { $0["version"] } == [3, 4])
            #expect(try await h.call("immutable:purgeVersions", ["type": "kb", "id": "a1", "keepLatest": 0]) == [
                "versionsPurged": 1, "versionsRemaining": 1,
            ])
            #expect(try await h.call("immutable:get", ["type": "kb", "id": "a1"])["version"] == 4)
            #expect(await h.errorCode("immutable:purgeVersions", ["type": "kb", "id": "zz", "keepLatest": 1]) == "IMMUTABLE_ENTRY_NOT_FOUND")
            _ = try await Self.store(h, "kb", "t", [1, 2], from: CatalogueHarness.now + 100, extra: ["tenantId": "t1"])
            #expect(try await h.call("immutable:purgeVersions", ["type": "kb", "id": "t", "keepLatest": 1])["versionsPurged"] == 1)
            #expect(await h.errorCode("immutable:purgeVersions", ["type": "kb", "id": "t", "keepLatest": 1], caller: Caller(tenantId: "t2"))
                == "IMMUTABLE_ENTRY_NOT_FOUND")
        }
    }

    @Test func purgeManyDeletesMatchesOfEveryTenant() async throws {
        try await CatalogueHarness.with { h in
            _ = try await Self.store(h, "kb", "a", [1, 2], extra: ["userId": "u1"])
            _ = try await Self.store(h, "kb", "b", [1], from: CatalogueHarness.now + 50, extra: ["tenantId": "t1", "userId": "u1"])
            _ = try await Self.store(h, "user", "c", [1], from: CatalogueHarness.now + 60, extra: ["userId": "u1"])
            _ = try await Self.store(h, "kb", "d", [1], from: CatalogueHarness.now + 70, extra: ["userId": "u2"])
            let r = try await h.call("immutable:purgeMany", ["type": "kb", "userId": "u1"])
            #expect(r == ["deleted": 2, "totalVersionsDeleted": 3, "entries": [["type": "kb", "id": "a"], ["type": "kb", "id": "b"]]])
            #expect(try await h.call("immutable:purgeMany", ["userId": "u2"], caller: Caller(tenantId: "t1"))["deleted"] == 0)
            #expect(try await h.call("immutable:purgeMany", [:])["deleted"] == 2)
            #expect(try h.documents("immutable").isEmpty)
        }
    }

    @Test func purgeAllIsGated() async throws {
        try await CatalogueHarness.with { h in
            _ = try await Self.store(h, "kb", "a", [1])
            _ = try await Self.store(h, "kb", "b", [1], extra: ["tenantId": "t1"])
            h.settings.allowPurge = false
            let e = await h.error("immutable:purgeAll")
            #expect(e?.code.rawValue == "PURGE_DISABLED_IN_PRODUCTION")
            #expect(e?.message == "PURGE_DISABLED_IN_PRODUCTION: purgeAll is only available in test/dev environments.")
            h.settings.allowPurge = true
            #expect(try await h.call("immutable:purgeAll", [:], caller: Caller(tenantId: "t1")) == ["deleted": 1])
            #expect(try await h.call("immutable:purgeAll") == ["deleted": 1])
            #expect(try h.documents("immutable").isEmpty)
        }
    }
}
