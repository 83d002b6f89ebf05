import EngramCore
import EngramFunctions
import Testing

/// `mutable:set`, `update`, `deleteKey`, `purgeNamespace`, `purgeMany` and `purgeAll`.
@Suite struct MutableWriteTests {
    static let t0 = Double(CatalogueHarness.now)

    static func set(_ h: CatalogueHarness, _ ns: String, _ key: String, _ value: Value, extra: ValueMap = [:]) async throws -> Value {
        var args: ValueMap = ["namespace": .string(ns), "key": .string(key), "value": value]
        for (k, v) in extra { args[k] = v }
        return try await h.call("mutable:set", args)
    }

    @Test func setCreatesThenOverwrites() async throws {
        try await CatalogueHarness.with { h in
            let created = try await Self.set(h, "cfg", "k", ["a": 1])
            #expect(created == .map(["_id": created["_id"]!, "_creationTime": created["_creationTime"]!, "namespace": "cfg", "key": "k",
                                     "value": ["a": 1], "createdAt": .double(Self.t0), "updatedAt": .double(Self.t0)]))
            h.fixedNow = CatalogueHarness.now + 10
            let withMeta = try await Self.set(h, "cfg", "k", nil, extra: ["userId": "u1", "metadata": nil])
            #expect(withMeta["_id"] == created["_id"])
            #expect(withMeta["value"] == .null && withMeta["userId"] == "u1" && withMeta["metadata"] == .null)
            #expect(withMeta["updatedAt"] == .double(Self.t0 + 10) && withMeta["createdAt"] == .double(Self.t0))
            h.fixedNow = CatalogueHarness.now + 20
            let kept = try await Self.set(h, "cfg", "k", 5)
            #expect(kept["userId"] == "u1" && kept["metadata"] == .null && kept["value"] == 5)
            #expect(try h.documents("mutable").count == 1)
            let full = try await Self.set(h, "cfg", "k2", 1, extra: ["userId": "u", "tenantId": "t1", "metadata": ["m": 1]])
            #expect(keys(full) == ["_id", "_creationTime", "namespace", "key", "value", "userId", "tenantId", "metadata", "createdAt", "updatedAt"])
        }
    }

    @Test func tenantsHaveSeparateKeysAndGlobalLookupsSkipTenantKeys() async throws {
        try await CatalogueHarness.with { h in
            let tenant = try await Self.set(h, "ns", "k", "t", extra: ["tenantId": "t1"])
            let global = try await Self.set(h, "ns", "k", "g")
            #expect(global["_id"] != tenant["_id"] && global["tenantId"] == nil)
            #expect(try await Self.set(h, "ns", "k", "g2")["_id"] == global["_id"])
            #expect(try await h.call("mutable:get", ["namespace": "ns", "key": "k"])["value"] == "g2")
            #expect(try await h.call("mutable:get", ["namespace": "ns", "key": "k", "tenantId": "t1"])["value"] == "t")
            #expect(try await h.call("mutable:get", ["namespace": "ns", "key": "k"], caller: Caller(tenantId: "t1"))["value"] == "t")
            #expect(try await h.call("mutable:get", ["namespace": "ns", "key": "k", "tenantId": "t2"]) == .null)
        }
    }

    @Test func updateAppliesJavaScriptArithmetic() async throws {
        try await CatalogueHarness.with { h in
            func update(_ value: Value, _ op: String, _ operand: Value? = nil) async throws -> Value? {
                _ = try await Self.set(h, "n", "k", value)
                var args: ValueMap = ["namespace": "n", "key": "k", "operation": .string(op)]
                args["operand"] = operand
                return try await h.call("mutable:update", args)["value"]
            }
            #expect(try await update(5, "increment") == 6)
            #expect(try await update(5, "increment", 2.5) == 7.5)
            #expect(try await update(5, "increment", 0) == 6)
            #expect(try await update(nil, "increment", 3) == 3)
            #expect(try await update("5", "increment", 1) == "51")
            #expect(try await update(true, "increment", 1) == 2)
            #expect(try await update([1, 2], "increment", 3) == "1,23")
            #expect(try await update(["a": 1], "increment", "!") == "[object Object]!")
            #expect(try await update(5, "decrement") == 4)
            #expect(try await update("5", "decrement", 1) == 4)
            #expect(try await update(10, "decrement", "3") == 7)
            let nan = try await update("x", "decrement", 1)
            #expect(nan?.doubleValue?.isNaN == true)
            #expect(try await update([1], "append", [2]) == [1, [2]])
            #expect(try await update([], "append", .null) == [nil])
            #expect(try await update(1, "custom", ["new": true]) == ["new": true])
            #expect(try await update(1, "custom", .null) == .null)
        }
    }

    @Test func updateErrors() async throws {
        try await CatalogueHarness.with { h in
            let base: ValueMap = ["namespace": "n", "key": "k"]
            #expect(await h.errorCode("mutable:update", merged(base, ["operation": "increment"])) == "MUTABLE_KEY_NOT_FOUND")
            _ = try await Self.set(h, "n", "k", 1)
            let e = await h.error("mutable:update", merged(base, ["operation": "append", "operand": 2]))
            #expect(e?.code == .functionError && e?.message == "MUTABLE_VALUE_NOT_ARRAY")
            #expect(await h.errorCode("mutable:update", merged(base, ["operation": "custom"])) == "INVALID_ARGUMENT")
            _ = try await Self.set(h, "n", "k", [])
            #expect(await h.errorCode("mutable:update", merged(base, ["operation": "append"])) == "INVALID_ARGUMENT")
            #expect(try await h.call("mutable:get", base)["value"] == [])
            _ = try await Self.set(h, "n", "t", 1, extra: ["tenantId": "t1"])
            #expect(await h.errorCode("mutable:update", ["namespace": "n", "key": "t", "operation": "increment"]) == "MUTABLE_KEY_NOT_FOUND")
            let bumped = try await h.call("mutable:update", ["namespace": "n", "key": "t", "operation": "increment"], caller: Caller(tenantId: "t1"))
            #expect(bumped["value"] == 2)
        }
    }

    @Test func deleteKeyIsNotIdempotent() async throws {
        try await CatalogueHarness.with { h in
            _ = try await Self.set(h, "n", "k", 1)
            #expect(try await h.call("mutable:deleteKey", ["namespace": "n", "key": "k"]) == ["deleted": true, "namespace": "n", "key": "k"])
            #expect(await h.errorCode("mutable:deleteKey", ["namespace": "n", "key": "k"]) == "MUTABLE_KEY_NOT_FOUND")
            _ = try await Self.set(h, "n", "t", 1, extra: ["tenantId": "t1"])
            #expect(await h.errorCode("mutable:deleteKey", ["namespace": "n", "key": "t", "tenantId": "t2"]) == "MUTABLE_KEY_NOT_FOUND")
            #expect(try await h.call("mutable:deleteKey", ["namespace": "n", "key": "t", "tenantId": "t1"])["deleted"] == true)
            #expect(try h.documents("mutable").isEmpty)
        }
    }

    @Test func purgeNamespaceCoversEveryTenantUnlessOneIsGiven() async throws {
        try await CatalogueHarness.with { h in
            _ = try await Self.set(h, "n", "b", 1)
            _ = try await Self.set(h, "n", "a", 1, extra: ["tenantId": "t1"])
            _ = try await Self.set(h, "other", "c", 1)
            let dry = try await h.call("mutable:purgeNamespace", ["namespace": "n", "dryRun": true])
            #expect(dry == ["deleted": 2, "namespace": "n", "keys": ["b", "a"], "dryRun": true])
            #expect(try await h.call("mutable:purgeNamespace", ["namespace": "n", "tenantId": "t1"]) == ["deleted": 1, "namespace": "n", "dryRun": false])
            #expect(try await h.call("mutable:purgeNamespace", ["namespace": "n"]) == ["deleted": 1, "namespace": "n", "dryRun": false])
            #expect(try h.documents("mutable").map { $0.fields["key"] } == ["c"])
        }
    }

    @Test func purgeManyAppliesItsFilters() async throws {
        try await CatalogueHarness.with { h in
            _ = try await Self.set(h, "n", "user:1", 1, extra: ["userId": "u1"])
            h.fixedNow = CatalogueHarness.now + 10
            _ = try await Self.set(h, "n", "user:2", 1, extra: ["userId": "u2"])
            _ = try await Self.set(h, "n", "other", 1, extra: ["userId": "u1"])
            _ = try await Self.set(h, "n", "user:3", 1, extra: ["tenantId": "t1", "userId": "u1"])
            #expect(try await h.call("mutable:purgeMany", ["namespace": "n", "keyPrefix": "user:", "userId": "u1", "tenantId": "t9"]) == [
                "deleted": 0, "namespace": "n", "keys": [],
            ])
            #expect(try await h.call("mutable:purgeMany", ["namespace": "n", "keyPrefix": "user:", "userId": "u1"]) == [
                "deleted": 2, "namespace": "n", "keys": ["user:1", "user:3"],
            ])
            #expect(try await h.call("mutable:purgeMany", ["namespace": "n", "updatedBefore": .double(Self.t0 + 10)])["deleted"] == 0)
            #expect(try await h.call("mutable:purgeMany", ["namespace": "n", "lastAccessedBefore": .double(Self.t0 + 11)])["keys"] == ["user:2", "other"])
            #expect(try h.documents("mutable").isEmpty)
        }
    }

    @Test func purgeAllIsGatedAndCanTargetOneTenant() async throws {
        try await CatalogueHarness.with { h in
            let (n1, n2) = h.namesInDifferentShards("ns")
            _ = try await Self.set(h, n1, "a", 1, extra: ["tenantId": "t1"])
            _ = try await Self.set(h, n2, "b", 1, extra: ["tenantId": "t1"])
            _ = try await Self.set(h, n2, "c", 1)
            h.settings.allowPurge = false
            let e = await h.error("mutable:purgeAll", ["tenantId": "t1"])
            #expect(e?.code.rawValue == "PURGE_DISABLED_IN_PRODUCTION")
            #expect(e?.message == "PURGE_DISABLED_IN_PRODUCTION: purgeAll is only available in test/dev environments.")
            h.settings.allowPurge = true
            #expect(try await h.call("mutable:purgeAll", ["tenantId": "t1"]) == ["deleted": 2])
            #expect(try await h.call("mutable:purgeAll", [:], caller: Caller(tenantId: "t1")) == ["deleted": 0])
            #expect(try await h.call("mutable:purgeAll") == ["deleted": 1])
            #expect(try h.documents("mutable").isEmpty)
        }
    }
}
