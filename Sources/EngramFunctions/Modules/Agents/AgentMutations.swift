import EngramCore
import EngramStorage

/// `agents` mutations (agents.md), each one transaction in the system shard.
enum AgentMutations {
    private static let table = AgentRecords.table

    static func register(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let id = try args.requiredString("agentId")
        var fields: ValueMap = ["agentId": .string(id), "name": .string(try args.requiredString("name"))]
        if let description = args["description"] { fields["description"] = description }
        fields["metadata"] = JavaScript.isTruthy(args["metadata"]) ? args["metadata"] : .map([:])
        fields["config"] = JavaScript.isTruthy(args["config"]) ? args["config"] : .map([:])
        fields["status"] = "active"
        fields["registeredAt"] = context.nowValue
        fields["updatedAt"] = context.nowValue
        let stored = fields
        let doc = try await context.database.shards[0].write(now: context.now) { scope in
            if try AgentRecords.find(scope, id) != nil { throw EngramError.coded("AGENT_ALREADY_REGISTERED") }
            return try scope.insert(table, stored)
        }
        return doc.value
    }

    static func update(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let id = try args.requiredString("agentId")
        let patch = AgentRecords.patch(args, ["name", "description", "metadata", "config", "status"], now: context.nowValue)
        let doc = try await context.database.shards[0].write(now: context.now) { scope in
            guard let found = try AgentRecords.find(scope, id) else { throw EngramError.coded(AgentRecords.notRegistered) }
            return try scope.patch(table, found.id, patch)
        }
        return doc.value
    }

    static func updateMany(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let ids = args.strings("agentIds") ?? []
        guard !ids.isEmpty else { return ["updated": 0.0, "agentIds": .array([])] }
        let patch = AgentRecords.patch(args, ["name", "description", "metadata", "config"], now: context.nowValue)
        let updated = try await context.database.shards[0].write(now: context.now) { scope in
            var out: [Value] = []
            for id in ids {
                guard let found = try AgentRecords.find(scope, id) else { continue }
                try scope.patch(table, found.id, patch)
                out.append(.string(id))
            }
            return out
        }
        return ["updated": .double(Double(updated.count)), "agentIds": .array(updated)]
    }

    static func unregister(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let id = try args.requiredString("agentId")
        try await context.database.shards[0].write(now: context.now) { scope in
            guard let found = try AgentRecords.find(scope, id) else { throw EngramError.coded(AgentRecords.notRegistered) }
            try scope.delete(table, found.id)
        }
        return ["deleted": true, "agentId": .string(id)]
    }

    /// By an id list (first match each, duplicates deleted once) or else by status.
    static func unregisterMany(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let ids = args.strings("agentIds") ?? []
        let status = args["status"]
        guard !ids.isEmpty || status != nil else {
            throw EngramError.plain("INVALID_FILTERS: Must provide agentIds or status filter")
        }
        let deleted = try await context.database.shards[0].write(now: context.now) { scope in
            let selected: [Document]
            if !ids.isEmpty {
                selected = try ids.compactMap { try AgentRecords.find(scope, $0) }
            } else {
                selected = try scope.all(table, index: "by_status", [status ?? .null])
            }
            var out: [Value] = []
            for doc in selected where try scope.get(table, doc.id) != nil {
                try scope.delete(table, doc.id)
                out.append(doc.fields["agentId"] ?? .null)
            }
            return out
        }
        return ["deleted": .double(Double(deleted.count)), "agentIds": .array(deleted)]
    }

    static func purgeAll(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        try context.requirePurgeAllowed()
        try context.requireUnbound("agents:purgeAll")
        let deleted = try await context.database.shards[0].write(now: context.now) { scope in
            let all = try scope.scan(table)
            for doc in all { try scope.delete(table, doc.id) }
            return all.count
        }
        return ["deleted": .double(Double(deleted))]
    }
}
