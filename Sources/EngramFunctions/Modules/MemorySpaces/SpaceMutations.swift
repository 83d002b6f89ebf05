import EngramCore
import EngramStorage

/// `memorySpaces` mutations other than deletion (memorySpaces.md).
enum SpaceMutations {
    static func register(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let id = try args.requiredString("memorySpaceId")
        let tenant = args.string("tenantId")
        var fields: ValueMap = ["memorySpaceId": .string(id)]
        if let name = args["name"] { fields["name"] = name }
        fields["type"] = .string(try args.requiredString("type"))
        if let tenant { fields["tenantId"] = .string(tenant) }
        fields["participants"] = args["participants"] ?? .array([])
        fields["metadata"] = JavaScript.isTruthy(args["metadata"]) ? args["metadata"] : .map([:])
        fields["status"] = "active"
        fields["createdAt"] = context.nowValue
        fields["updatedAt"] = context.nowValue
        let stored = fields
        let doc = try await context.database.shards[0].write(now: context.now) { scope in
            if try SpaceRecords.scoped(scope, id, tenantId: tenant) != nil {
                throw EngramError.coded("MEMORYSPACE_ALREADY_EXISTS")
            }
            return try scope.insert(SpaceRecords.table, stored)
        }
        return doc.value
    }

    static func update(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        var set = ValueMap()
        for key in ["name", "metadata", "status"] { if let v = args[key] { set[key] = v } }
        set["updatedAt"] = context.nowValue
        let patch = Patch(set: set)
        return try await SpaceRecords.patch(context, try args.requiredString("memorySpaceId")) { _ in patch }
    }

    static func addParticipant(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let participant = args["participant"] ?? .null
        let now = context.nowValue
        return try await SpaceRecords.patch(context, try args.requiredString("memorySpaceId")) { fields in
            if SpaceRecords.hasParticipant(fields, participant["id"]) {
                throw EngramError.coded("PARTICIPANT_ALREADY_EXISTS")
            }
            let list = fields["participants"]?.arrayValue ?? []
            return Patch(set: ["participants": .array(list + [participant]), "updatedAt": now])
        }
    }

    static func removeParticipant(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let gone = Value.string(try args.requiredString("participantId"))
        let now = context.nowValue
        return try await SpaceRecords.patch(context, try args.requiredString("memorySpaceId")) { fields in
            let kept = (fields["participants"]?.arrayValue ?? []).filter { $0["id"] != gone }
            return Patch(set: ["participants": .array(kept), "updatedAt": now])
        }
    }

    static func updateParticipants(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let remove = Set(args.strings("remove") ?? [])
        let add = args["add"]?.arrayValue ?? []
        let now = context.nowValue
        return try await SpaceRecords.patch(context, try args.requiredString("memorySpaceId")) { fields in
            var working = fields["participants"]?.arrayValue ?? []
            working.removeAll { p in p["id"]?.stringValue.map(remove.contains) ?? false }
            for p in add where !working.contains(where: { $0["id"] == p["id"] }) { working.append(p) }
            return Patch(set: ["participants": .array(working), "updatedAt": now])
        }
    }

    /// Status `archived`; metadata becomes `{...old, ...args.metadata, archivedAt: now,
    /// archiveReason: reason}` (an absent reason removes the key).
    static func archive(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let reason = args["reason"]
        let extra = JavaScript.isTruthy(args["metadata"]) ? args["metadata"] : nil
        let now = context.nowValue
        return try await SpaceRecords.patch(context, try args.requiredString("memorySpaceId")) { fields in
            var metadata = JavaScript.spread([fields["metadata"] ?? .null, extra ?? .null])
            metadata["archivedAt"] = now
            metadata["archiveReason"] = reason
            return Patch(set: ["status": "archived", "updatedAt": now, "metadata": .map(metadata)])
        }
    }

    static func reactivate(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let patch = Patch(set: ["status": "active", "updatedAt": context.nowValue])
        return try await SpaceRecords.patch(context, try args.requiredString("memorySpaceId")) { _ in patch }
    }

    static func purgeAll(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        try context.requirePurgeAllowed()
        try context.requireUnbound("memorySpaces:purgeAll")
        let deleted = try await context.database.shards[0].write(now: context.now) { scope in
            let all = try scope.scan(SpaceRecords.table)
            for doc in all { try scope.delete(SpaceRecords.table, doc.id) }
            return all.count
        }
        return ["deleted": .double(Double(deleted))]
    }
}
