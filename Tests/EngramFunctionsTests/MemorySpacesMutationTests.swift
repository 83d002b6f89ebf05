import EngramCore
import EngramFunctions
import Testing

/// `memorySpaces` mutations: register, update, participants, archive, reactivate.
@Suite struct MemorySpacesMutationTests {
    static let spaceKeys = [
        "_id", "_creationTime", "memorySpaceId", "type", "participants", "metadata", "status", "createdAt", "updatedAt",
    ]

    @Test func registerStoresExactlyTheContractFields() async throws {
        try await withCatalogue { h in
            h.fixedNow = 1_000
            let s = try await h.call("memorySpaces:register", ["memorySpaceId": "s1", "type": "team"])
            #expect(s.keyList == Self.spaceKeys)
            #expect(s["memorySpaceId"] == "s1")
            #expect(s["participants"] == .array([]))
            #expect(s["metadata"] == .map([:]))
            #expect(s["status"] == "active")
            #expect(s["createdAt"] == 1000.0)
            #expect(s["updatedAt"] == 1000.0)
            let named = try await h.call(
                "memorySpaces:register",
                [
                    "memorySpaceId": "s2", "name": "Two", "type": "custom", "tenantId": "t1",
                    "participants": [["id": "p", "type": "ai-tool", "joinedAt": 5]], "metadata": ["a": 1],
                ])
            #expect(
                named.keyList == [
                    "_id", "_creationTime", "memorySpaceId", "name", "type", "tenantId", "participants", "metadata", "status",
                    "createdAt", "updatedAt",
                ])
            #expect(named["participants"]?.items.first?["joinedAt"] == 5.0)
            #expect(named["metadata"] == ["a": 1])
        }
    }

    @Test(arguments: [Value.null, 0, "", false])
    func registerReplacesFalsyMetadataWithAnEmptyObject(metadata: Value) async throws {
        try await withCatalogue { h in
            let s = try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "metadata": metadata])
            #expect(s["metadata"] == .map([:]))
        }
    }

    @Test func registerRejectsADuplicateInTheSameTenantScope() async throws {
        try await withCatalogue { h in
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team"])
            #expect(await h.errorCode("memorySpaces:register", ["memorySpaceId": "s", "type": "team"]) == "MEMORYSPACE_ALREADY_EXISTS")
            // Another tenant's scope is separate.
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "tenantId": "t1"])
            #expect(
                await h.errorCode("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "tenantId": "t1"])
                    == "MEMORYSPACE_ALREADY_EXISTS")
            // "" is global.
            #expect(
                await h.errorCode("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "tenantId": ""])
                    == "MEMORYSPACE_ALREADY_EXISTS")
            #expect(try h.count("memorySpaces") == 2)
        }
    }

    @Test func registerDuplicateCheckOnlyLooksAtTheOldestDocumentWhenGlobal() async throws {
        try await withCatalogue { h in
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "tenantId": "t1"])
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team"])
            // The oldest "s" belongs to t1, so the reference's check passes again (quirk kept).
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team"])
            #expect(try h.count("memorySpaces") == 3)
        }
    }

    @Test func registerValidatesItsArguments() async throws {
        try await withCatalogue { h in
            #expect(await h.errorCode("memorySpaces:register", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memorySpaces:register", ["memorySpaceId": "s", "type": "Team"]) == "ARGUMENT_VALIDATION_ERROR")
            let unknown = await h.error("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "owner": "x"])
            #expect(unknown?.message.contains("`owner`") == true)
            let noJoinedAt = await h.error(
                "memorySpaces:register", ["memorySpaceId": "s", "type": "team", "participants": [["id": "p", "type": "t"]]])
            #expect(noJoinedAt?.message.contains("`joinedAt`") == true)
            #expect(
                await h.errorCode(
                    "memorySpaces:register",
                    ["memorySpaceId": "s", "type": "team", "participants": [["id": "p", "type": "t", "joinedAt": 1, "x": 1]]])
                    == "ARGUMENT_VALIDATION_ERROR")
            // A null optional is absent.
            let s = try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "name": nil, "tenantId": nil])
            #expect(s["name"] == nil)
            #expect(s["tenantId"] == nil)
        }
    }

    @Test func aBoundCallerRegistersInItsTenant() async throws {
        try await withCatalogue { h in
            let s = try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team"], caller: Caller(tenantId: "t9"))
            #expect(s["tenantId"] == "t9")
            #expect(try await h.call("memorySpaces:get", ["memorySpaceId": "s"]) == .null)
        }
    }

    @Test func updatePatchesNameMetadataStatusAndAlwaysUpdatedAt() async throws {
        try await withCatalogue { h in
            h.fixedNow = 10
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "name": "A", "type": "team", "metadata": ["k": 1]])
            h.fixedNow = 20
            let touched = try await h.call("memorySpaces:update", ["memorySpaceId": "s"])
            #expect(touched["updatedAt"] == 20.0)
            #expect(touched["name"] == "A")
            h.fixedNow = 30
            let u = try await h.call(
                "memorySpaces:update", ["memorySpaceId": "s", "name": "B", "metadata": ["z": 2], "status": "archived"])
            #expect(u["name"] == "B")
            #expect(u["metadata"] == ["z": 2])
            #expect(u["status"] == "archived")
            #expect(u["updatedAt"] == 30.0)
            #expect(u["createdAt"] == 10.0)
            #expect(u["metadata"]?["archivedAt"] == nil)
            let nulled = try await h.call("memorySpaces:update", ["memorySpaceId": "s", "metadata": nil])
            #expect(nulled["metadata"] == .null)
            #expect(nulled.keyList == ["_id", "_creationTime", "memorySpaceId", "name", "type", "participants", "metadata", "status", "createdAt", "updatedAt"])
        }
    }

    @Test func updateErrorsAndValidation() async throws {
        try await withCatalogue { h in
            #expect(await h.errorCode("memorySpaces:update", ["memorySpaceId": "nope"]) == "MEMORYSPACE_NOT_FOUND")
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team"])
            #expect(await h.errorCode("memorySpaces:update", ["memorySpaceId": "s", "tenantId": "t"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memorySpaces:update", ["memorySpaceId": "s", "type": "team"]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memorySpaces:update", ["memorySpaceId": "s", "status": "deleted"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func lookupsInAnyTenantFindTheOldestButStayInsideABoundTenant() async throws {
        try await withCatalogue { h in
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "tenantId": "t1"])
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "tenantId": "t2"])
            let unbound = try await h.call("memorySpaces:update", ["memorySpaceId": "s", "name": "first"])
            #expect(unbound["tenantId"] == "t1")
            let bound = try await h.call("memorySpaces:update", ["memorySpaceId": "s", "name": "mine"], caller: Caller(tenantId: "t2"))
            #expect(bound["tenantId"] == "t2")
            #expect(
                await h.errorCode("memorySpaces:reactivate", ["memorySpaceId": "s"], caller: Caller(tenantId: "t3"))
                    == "MEMORYSPACE_NOT_FOUND")
        }
    }

    @Test func addParticipantAppendsAndRejectsDuplicates() async throws {
        try await withCatalogue { h in
            #expect(
                await h.errorCode("memorySpaces:addParticipant", ["memorySpaceId": "x", "participant": ["id": "a", "type": "t", "joinedAt": 1]])
                    == "MEMORYSPACE_NOT_FOUND")
            try await h.call(
                "memorySpaces:register",
                ["memorySpaceId": "s", "type": "team", "participants": [["id": "a", "type": "human", "joinedAt": 1]]])
            h.fixedNow = 50
            let s = try await h.call(
                "memorySpaces:addParticipant", ["memorySpaceId": "s", "participant": ["id": "b", "type": "tool", "joinedAt": 2]])
            #expect(s["participants"]?.items.map { $0["id"] } == ["a", "b"])
            #expect(s["updatedAt"] == 50.0)
            #expect(
                await h.errorCode("memorySpaces:addParticipant", ["memorySpaceId": "s", "participant": ["id": "b", "type": "x", "joinedAt": 3]])
                    == "PARTICIPANT_ALREADY_EXISTS")
            // Case-sensitive.
            try await h.call("memorySpaces:addParticipant", ["memorySpaceId": "s", "participant": ["id": "B", "type": "x", "joinedAt": 3]])
            #expect(
                await h.errorCode("memorySpaces:addParticipant", ["memorySpaceId": "s", "participant": ["id": "c", "type": "x"]])
                    == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func removeParticipantDropsEveryMatchAndToleratesAbsence() async throws {
        try await withCatalogue { h in
            #expect(await h.errorCode("memorySpaces:removeParticipant", ["memorySpaceId": "x", "participantId": "a"]) == "MEMORYSPACE_NOT_FOUND")
            let p: (String) -> Value = { ["id": .string($0), "type": "t", "joinedAt": 1] }
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "participants": [p("a"), p("b"), p("a"), p("c")]])
            h.fixedNow = 77
            let s = try await h.call("memorySpaces:removeParticipant", ["memorySpaceId": "s", "participantId": "a"])
            #expect(s["participants"]?.items.map { $0["id"] } == ["b", "c"])
            h.fixedNow = 78
            let again = try await h.call("memorySpaces:removeParticipant", ["memorySpaceId": "s", "participantId": "zz"])
            #expect(again["participants"]?.items.count == 2)
            #expect(again["updatedAt"] == 78.0)
            #expect(await h.errorCode("memorySpaces:removeParticipant", ["memorySpaceId": "s"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func updateParticipantsRemovesThenAddsSkippingDuplicates() async throws {
        try await withCatalogue { h in
            let p: (String, String) -> Value = { ["id": .string($0), "type": .string($1), "joinedAt": 1] }
            #expect(await h.errorCode("memorySpaces:updateParticipants", ["memorySpaceId": "x"]) == "MEMORYSPACE_NOT_FOUND")
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "participants": [p("a", "old"), p("b", "old")]])
            let s = try await h.call(
                "memorySpaces:updateParticipants",
                ["memorySpaceId": "s", "remove": ["a"], "add": [p("a", "new"), p("b", "new"), p("c", "new"), p("c", "dup")]])
            #expect(s["participants"]?.items.map { $0["id"] } == ["b", "a", "c"])
            #expect(s["participants"]?.items.map { $0["type"] } == ["old", "new", "new"])
            h.fixedNow = 99
            let empty = try await h.call("memorySpaces:updateParticipants", ["memorySpaceId": "s"])
            #expect(empty["updatedAt"] == 99.0)
            #expect(empty["participants"]?.items.count == 3)
            #expect(await h.errorCode("memorySpaces:updateParticipants", ["memorySpaceId": "s", "remove": [1]]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test func archiveMergesMetadataAndStampsIt() async throws {
        try await withCatalogue { h in
            #expect(await h.errorCode("memorySpaces:archive", ["memorySpaceId": "x"]) == "MEMORYSPACE_NOT_FOUND")
            try await h.call(
                "memorySpaces:register", ["memorySpaceId": "s", "type": "team", "metadata": ["a": 1, "archiveReason": "old"]])
            h.fixedNow = 500
            let s = try await h.call("memorySpaces:archive", ["memorySpaceId": "s", "reason": "done", "metadata": ["b": 2, "a": 3]])
            #expect(s["status"] == "archived")
            #expect(s["updatedAt"] == 500.0)
            #expect(s["metadata"] == ["a": 3, "archiveReason": "done", "b": 2, "archivedAt": 500.0])
            #expect(s["metadata"]?.keyList == ["a", "archiveReason", "b", "archivedAt"])
            h.fixedNow = 600
            // No reason: archiveReason is removed; archivedAt restamped.
            let again = try await h.call("memorySpaces:archive", ["memorySpaceId": "s"])
            #expect(again["metadata"] == ["a": 3, "b": 2, "archivedAt": 600.0])
            #expect(await h.errorCode("memorySpaces:archive", ["memorySpaceId": "s", "reason": 5]) == "ARGUMENT_VALIDATION_ERROR")
            #expect(await h.errorCode("memorySpaces:archive", ["memorySpaceId": "s", "why": "x"]) == "ARGUMENT_VALIDATION_ERROR")
            let nullReason = try await h.call("memorySpaces:archive", ["memorySpaceId": "s", "reason": nil, "metadata": nil])
            #expect(nullReason["metadata"]?["archiveReason"] == nil)
        }
    }

    @Test func archiveSpreadsNonObjectMetadataAsJavaScriptDoes() async throws {
        try await withCatalogue { h in
            h.fixedNow = 7
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team", "metadata": "hi"])
            let s = try await h.call("memorySpaces:archive", ["memorySpaceId": "s", "metadata": ["x", "y", "z"], "reason": "r"])
            #expect(s["metadata"] == ["0": "x", "1": "y", "2": "z", "archivedAt": 7.0, "archiveReason": "r"])
            try await h.call("memorySpaces:update", ["memorySpaceId": "s", "metadata": 5])
            let n = try await h.call("memorySpaces:archive", ["memorySpaceId": "s", "metadata": ["k": true, "10": 1, "2": 0]])
            #expect(n["metadata"]?.keyList == ["2", "10", "k", "archivedAt"])
        }
    }

    @Test func reactivateKeepsArchiveMetadata() async throws {
        try await withCatalogue { h in
            #expect(await h.errorCode("memorySpaces:reactivate", ["memorySpaceId": "x"]) == "MEMORYSPACE_NOT_FOUND")
            try await h.call("memorySpaces:register", ["memorySpaceId": "s", "type": "team"])
            h.fixedNow = 40
            try await h.call("memorySpaces:archive", ["memorySpaceId": "s", "reason": "r"])
            h.fixedNow = 41
            let s = try await h.call("memorySpaces:reactivate", ["memorySpaceId": "s"])
            #expect(s["status"] == "active")
            #expect(s["updatedAt"] == 41.0)
            #expect(s["metadata"] == ["archivedAt": 40.0, "archiveReason": "r"])
            #expect(await h.errorCode("memorySpaces:reactivate", ["memorySpaceId": "s", "reason": "x"]) == "ARGUMENT_VALIDATION_ERROR")
        }
    }
}
