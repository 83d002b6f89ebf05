import EngramCore
import EngramFunctions
import Testing

/// `mutable:get`, `exists`, `list`, `count` and `transaction`.
@Suite struct MutableReadTests {
    static let t0 = Double(CatalogueHarness.now)

    @Test func getAndExistsFollowTheLookupRule() async throws {
        try await CatalogueHarness.with { h in
            let stored = try await MutableWriteTests.set(h, "n", "k", 1)
            #expect(try await h.call("mutable:get", ["namespace": "n", "key": "k"]) == stored)
            #expect(try await h.call("mutable:get", ["namespace": "n", "key": "zz"]) == .null)
            #expect(try await h.call("mutable:exists", ["namespace": "n", "key": "k"]) == true)
            #expect(try await h.call("mutable:exists", ["namespace": "n", "key": "zz"]) == false)
            #expect(try await h.call("mutable:exists", ["namespace": "n", "key": "k", "tenantId": "t1"]) == false)
            #expect(try await h.call("mutable:exists", ["namespace": "n", "key": "k"], caller: Caller(tenantId: "t1")) == false)
        }
    }

    @Test func listSortsKeysByLocaleCollation() async throws {
        try await CatalogueHarness.with { h in
            let keysInOrder = ["_x", "-y", "a", "A", "b", "B", "é", "item-10", "item-2", "z", "Z"]
            for (i, key) in keysInOrder.reversed().enumerated() {
                h.fixedNow = CatalogueHarness.now + UInt64(i)
                _ = try await MutableWriteTests.set(h, "n", key, .double(Double(i)))
            }
            func list(_ args: ValueMap) async throws -> [String] {
                strings(try await h.call("mutable:list", merged(["namespace": "n"], args)), "key")
            }
            #expect(try await list([:]) == keysInOrder)
            #expect(try await list(["sortOrder": "desc"]) == keysInOrder.reversed())
            #expect(try await list(["sortBy": "updatedAt", "sortOrder": "desc"]) == keysInOrder)
            #expect(try await list(["sortBy": "updatedAt"]) == keysInOrder.reversed())
            #expect(try await list(["sortBy": "accessCount", "sortOrder": "desc"]) == keysInOrder.reversed())
            #expect(try await list(["limit": 2, "offset": 3]) == ["A", "b"])
            #expect(try await list(["offset": -2]) == ["z", "Z"])
            #expect(try await list(["keyPrefix": "item-"]) == ["item-10", "item-2"])
            #expect(try await list(["updatedAfter": .double(Self.t0 + 8)]) == ["_x", "-y"])
            #expect(try await list(["updatedBefore": .double(Self.t0 + 1)]) == ["Z"])
            let records = try await h.call("mutable:list", ["namespace": "n", "limit": 1])
            #expect(items(records).count == 1 && keys(items(records)[0]).contains("_id"))
        }
    }

    @Test func listAndCountCoverEveryTenantUnlessOneIsGiven() async throws {
        try await CatalogueHarness.with { h in
            _ = try await MutableWriteTests.set(h, "n", "a", 1, extra: ["userId": "u1"])
            _ = try await MutableWriteTests.set(h, "n", "b", 1, extra: ["tenantId": "t1", "userId": "u1"])
            _ = try await MutableWriteTests.set(h, "n", "c", 1, extra: ["tenantId": "t2"])
            _ = try await MutableWriteTests.set(h, "m", "d", 1)
            #expect(strings(try await h.call("mutable:list", ["namespace": "n"]), "key") == ["a", "b", "c"])
            #expect(strings(try await h.call("mutable:list", ["namespace": "n", "tenantId": "t1"]), "key") == ["b"])
            #expect(strings(try await h.call("mutable:list", ["namespace": "n", "userId": "u1"]), "key") == ["a", "b"])
            #expect(strings(try await h.call("mutable:list", ["namespace": "n"], caller: Caller(tenantId: "t2")), "key") == ["c"])
            #expect(try await h.call("mutable:count", ["namespace": "n"]) == 3)
            #expect(try await h.call("mutable:count", ["namespace": "n", "tenantId": "t1"]) == 1)
            #expect(try await h.call("mutable:count", ["namespace": "n", "userId": "u1", "keyPrefix": "a"]) == 1)
            #expect(try await h.call("mutable:count", ["namespace": "n", "updatedAfter": .double(Self.t0)]) == 0)
            #expect(try await h.call("mutable:count", ["namespace": "n", "updatedBefore": .double(Self.t0 + 1)]) == 3)
            #expect(try await h.call("mutable:count", ["namespace": "zz"]) == 0)
        }
    }

    @Test func transactionRunsOperationsInOrder() async throws {
        try await CatalogueHarness.with { h in
            _ = try await MutableWriteTests.set(h, "inv", "old", 1)
            let ops: [Value] = [
                ["op": "set", "namespace": "inv", "key": "qty", "value": 5],
                ["op": "increment", "namespace": "inv", "key": "qty", "amount": 2],
                ["op": "decrement", "namespace": "inv", "key": "qty", "amount": 0],
                ["op": "update", "namespace": "inv", "key": "old", "value": "new"],
                ["op": "delete", "namespace": "inv", "key": "old", "value": 9],
            ]
            let r = try await h.call("mutable:transaction", ["operations": .array(ops), "tenantId": ""])
            #expect(keys(r) == ["success", "operationsExecuted", "results"])
            #expect(r["success"] == true && r["operationsExecuted"] == 5)
            #expect(items(r["results"]).map { $0["value"] } == [5, 7, 6, "new", nil])
            #expect(items(r["results"])[4] == ["deleted": true, "namespace": "inv", "key": "old"])
            #expect(keys(items(r["results"])[0]) == ["_id", "_creationTime", "namespace", "key", "value", "tenantId", "createdAt", "updatedAt"])
            #expect(try await h.call("mutable:get", ["namespace": "inv", "key": "qty"])["value"] == 6)
            #expect(try await h.call("mutable:transaction", ["operations": []]) == ["success": true, "operationsExecuted": 0, "results": []])
        }
    }

    @Test func aFailingOperationRollsEverythingBack() async throws {
        try await CatalogueHarness.with { h in
            let (n1, n2) = h.namesInDifferentShards("ns")
            _ = try await MutableWriteTests.set(h, n2, "k", 1)
            for namespace in [n1, n2] {
                let ops: [Value] = [
                    ["op": "set", "namespace": .string(n1), "key": "a", "value": 1],
                    ["op": "increment", "namespace": .string(n2), "key": "k"],
                    ["op": "delete", "namespace": .string(namespace), "key": "a"],
                    ["op": "delete", "namespace": .string(namespace), "key": "a"],
                ]
                let e = await h.error("mutable:transaction", ["operations": .array(ops)])
                #expect(e?.code.rawValue == "MUTABLE_KEY_NOT_FOUND: \(namespace)/a")
                #expect(e?.isCoded == true)
            }
            let missingValue: [Value] = [
                ["op": "increment", "namespace": .string(n2), "key": "k"], ["op": "set", "namespace": .string(n1), "key": "b"],
            ]
            #expect(await h.errorCode("mutable:transaction", ["operations": .array(missingValue)]) == "INVALID_ARGUMENT")
            #expect(try h.documents("mutable").map { $0.fields["value"] } == [1])
            // Across shards: set then delete then update of the same key fails at the update.
            let ordered: [Value] = [
                ["op": "set", "namespace": .string(n1), "key": "x", "value": 1], ["op": "increment", "namespace": .string(n2), "key": "k"],
                ["op": "delete", "namespace": .string(n1), "key": "x"], ["op": "update", "namespace": .string(n1), "key": "x", "value": 2],
            ]
            #expect(await h.errorCode("mutable:transaction", ["operations": .array(ordered)]) == "MUTABLE_KEY_NOT_FOUND: \(n1)/x")
            let fine = try await h.call("mutable:transaction", ["operations": .array(Array(ordered.prefix(3)))])
            #expect(items(fine["results"]).map { $0["value"] } == [1, 2, nil])
        }
    }

    @Test func transactionsOfABoundCallerStayInItsTenant() async throws {
        try await CatalogueHarness.with { h in
            _ = try await MutableWriteTests.set(h, "n", "k", 1)
            let ops: [Value] = [["op": "increment", "namespace": "n", "key": "k"]]
            let t1 = Caller(tenantId: "t1")
            #expect(await h.errorCode("mutable:transaction", ["operations": .array(ops)], caller: t1) == "MUTABLE_KEY_NOT_FOUND: n/k")
            let created = try await h.call("mutable:transaction", ["operations": [["op": "set", "namespace": "n", "key": "k", "value": 7]]], caller: t1)
            #expect(items(created["results"])[0]["tenantId"] == "t1")
            #expect(try await h.call("mutable:get", ["namespace": "n", "key": "k"])["value"] == 1)
        }
    }
}
