import EngramCore
import EngramFunctions
import Testing

/// `users`: profile reads over `immutable` documents of type `user`.
@Suite struct UsersTests {
    /// A profile at version 3 whose earlier versions were written at 100 and 200.
    func seedProfile(_ h: CatalogueHarness, _ userId: String, tenant: String? = nil) async throws {
        var f: ValueMap = ["type": "user", "id": .string(userId), "data": ["name": "v3"]]
        if let tenant { f["tenantId"] = .string(tenant) }
        f["version"] = 3.0
        f["previousVersions"] = [
            ["version": 1.0, "data": ["name": "v1"], "timestamp": 100.0, "metadata": ["m": 1]],
            ["version": 2.0, "data": ["name": "v2"], "timestamp": 200.0],
        ]
        f["metadata"] = ["kind": "profile"]
        f["createdAt"] = 100.0
        f["updatedAt"] = 300.0
        try await h.seed("immutable", f)
    }

    @Test func getReturnsTheProfileProjection() async throws {
        try await withCatalogue { h in
            try await seedProfile(h, "u1")
            let p = try await h.call("users:get", ["userId": "u1"])
            #expect(p == ["id": "u1", "data": ["name": "v3"], "version": 3.0, "createdAt": 100.0, "updatedAt": 300.0])
            #expect(try await h.call("users:get", ["userId": "nobody"]) == .null)
            #expect(await h.errorCode("users:get", [:]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("users:get", ["userId": "u1", "tenantId": "t"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func lookupsSpanTenantsExceptForABoundCaller() async throws {
        try await withCatalogue { h in
            try await seedProfile(h, "u1", tenant: "t1")
            try await h.seed("immutable", ["type": "kb", "id": "u1", "data": 1, "version": 1.0, "previousVersions": [], "createdAt": 1.0, "updatedAt": 1.0])
            #expect(try await h.call("users:exists", ["userId": "u1"]) == true)
            #expect(try await h.call("users:exists", ["userId": "u1"], caller: Caller(tenantId: "t1")) == true)
            #expect(try await h.call("users:exists", ["userId": "u1"], caller: Caller(tenantId: "t2")) == false)
            #expect(try await h.call("users:get", ["userId": "u1"], caller: Caller(tenantId: "t2")) == .null)
            #expect(try await h.call("users:count", [:], caller: Caller(tenantId: "t2")) == 0.0)
            #expect(try await h.call("users:count") == 1.0)  // the "kb" record is not a profile
            #expect(try await h.call("users:exists", ["userId": "nobody"]) == false)
            #expect(await h.errorCode("users:exists", ["id": "u1"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func listAndCount() async throws {
        try await withCatalogue(shards: 3) { h in
            for (i, u) in ["c", "a", "b", "d"].enumerated() {
                h.fixedNow = UInt64(10 + i)
                try await seedProfile(h, u)
            }
            let all = try await h.call("users:list")
            #expect(all.items.map { $0["id"] } == ["c", "a", "b", "d"])  // creation order across shards
            #expect(all.items.first?.keyList == ["id", "data", "version", "createdAt", "updatedAt"])
            #expect(try await h.call("users:list", ["limit": 2]).items.map { $0["id"] } == ["c", "a"])
            #expect(try await h.call("users:list", ["limit": 0]).items.count == 4)
            #expect(await h.error("users:list", ["limit": -1])?.message == "Arg 1 `n` to `take` must be a non-negative integer")
            #expect(await h.errorCode("users:list", ["limit": 1.5]) == "FUNCTION_ERROR")
            #expect(try await h.call("users:count") == 4.0)
            // The Python SDK sends `filters`; it is accepted.
            #expect(try await h.call("users:count", ["filters": ["createdAfter": 1]]) == 4.0)
            #expect(await h.errorCode("users:count", ["limit": 1]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("users:list", ["limit": "2"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(try await h.call("users:list", ["limit": nil]).items.count == 4)
        }
    }

    @Test func versionsHistoryAndTimestamps() async throws {
        try await withCatalogue { h in
            try await seedProfile(h, "u1")
            #expect(try await h.call("users:getVersion", ["userId": "u1", "version": 3]) == ["version": 3.0, "data": ["name": "v3"], "timestamp": 300.0])
            #expect(try await h.call("users:getVersion", ["userId": "u1", "version": 1]) == ["version": 1.0, "data": ["name": "v1"], "timestamp": 100.0])
            #expect(try await h.call("users:getVersion", ["userId": "u1", "version": 9]) == .null)
            #expect(try await h.call("users:getVersion", ["userId": "nobody", "version": 1]) == .null)
            #expect(await h.errorCode("users:getVersion", ["userId": "u1"]) == "ARGUMENT_VALIDATION_ERROR")

            let history = try await h.call("users:getHistory", ["userId": "u1"])
            #expect(history.items.map { $0["version"] } == [3.0, 2.0, 1.0])
            #expect(history.items.last?.keyList == ["version", "data", "timestamp"])
            #expect(try await h.call("users:getHistory", ["userId": "nobody"]) == .array([]))
            #expect(await h.errorCode("users:getHistory", [:]) == "ARGUMENT_VALIDATION_ERROR")

            func at(_ t: Double) async throws -> Value { try await h.call("users:getAtTimestamp", ["userId": "u1", "timestamp": .double(t)]) }
            #expect(try await at(99) == .null)  // before creation
            #expect(try await at(300)["version"] == 3.0)
            #expect(try await at(250)["version"] == 2.0)
            #expect(try await at(150)["version"] == 1.0)
            #expect(try await h.call("users:getAtTimestamp", ["userId": "nobody", "timestamp": 1]) == .null)
            #expect(await h.errorCode("users:getAtTimestamp", ["userId": "u1", "timestamp": "now"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func getAtTimestampWithNoQualifyingVersionIsNull() async throws {
        try await withCatalogue { h in
            try await h.seed(
                "immutable",
                ["type": "user", "id": "u", "data": 1, "version": 2.0, "previousVersions": [["version": 1.0, "data": 0, "timestamp": 500.0]],
                 "createdAt": 100.0, "updatedAt": 900.0])
            #expect(try await h.call("users:getAtTimestamp", ["userId": "u", "timestamp": 200]) == .null)
        }
    }

    @Test func deleteUserProfileDeletesTheOldestOnly() async throws {
        try await withCatalogue { h in
            h.fixedNow = 1
            try await seedProfile(h, "u1", tenant: "t1")
            h.fixedNow = 2
            try await seedProfile(h, "u1")
            try await h.seed("memories", ["memorySpaceId": "s", "userId": "u1"])
            #expect(try await h.call("users:deleteUserProfile", ["userId": "u1"], caller: Caller(tenantId: "t9")) == ["deleted": false])
            #expect(try await h.call("users:deleteUserProfile", ["userId": "u1"]) == ["deleted": true])
            #expect(try h.count("immutable") == 1)
            #expect(try h.count("memories") == 1)  // no cascade
            #expect(try await h.call("users:get", ["userId": "u1"]) != .null)  // the duplicate remains
            #expect(try await h.call("users:deleteUserProfile", ["userId": "u1"]) == ["deleted": true])
            #expect(try await h.call("users:deleteUserProfile", ["userId": "u1"]) == ["deleted": false])
            #expect(await h.errorCode("users:deleteUserProfile", ["userId": "u1", "cascade": true]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }
}
