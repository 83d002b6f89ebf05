import EngramCore
import EngramStorage

/// The `agents` registry (schema.md §1.9), in the system shard. The contract never
/// reads or writes `tenantId` here: agents are one registry shared by every tenant.
enum AgentRecords {
    static let table = "agents"
    static let notRegistered = "AGENT_NOT_REGISTERED"
    static let status: ArgumentType = .literals(["active", "inactive", "archived"])

    /// The first (oldest) registration of `agentId`.
    static func find(_ reader: some TableReader, _ agentId: String) throws -> Document? {
        try reader.first(table, index: "by_agentId", [.string(agentId)])
    }

    /// The fields of `args` among `keys` that were supplied, plus `updatedAt = now`.
    static func patch(_ args: ValueMap, _ keys: [String], now: Value) -> Patch {
        var set: ValueMap = ["updatedAt": now]
        for key in keys { if let v = args[key] { set[key] = v } }
        return Patch(set: set)
    }
}

/// `agents` queries (agents.md).
enum AgentQueries {
    static func get(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let id = try args.requiredString("agentId")
        return try context.database.shards[0].read { try AgentRecords.find($0, id) }?.value ?? .null
    }

    static func exists(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let id = try args.requiredString("agentId")
        return .bool(try context.database.shards[0].read { try AgentRecords.find($0, id) } != nil)
    }

    /// Newest first: by status (`by_status`, descending) or by `registeredAt`.
    static func list(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let query: Query
        if let status = args["status"] {
            query = Database.indexQuery(AgentRecords.table, index: "by_status", [status], descending: true)
        } else {
            query = Query(AgentRecords.table, index: .named("by_registered"), descending: true)
        }
        let shard = context.database.shards[0]
        let limit = args.number("limit")
        if JavaScript.isTruthy(args["offset"]) {
            let offset = args.number("offset") ?? 0
            let all = try shard.read { try $0.drain(query) }
            let end = offset + (JavaScript.isTruthy(args["limit"]) ? (limit ?? 100) : 100)
            return .array(JavaScript.slice(all, start: offset, end: end).map(\.value))
        }
        var take = 100
        if JavaScript.isTruthy(args["limit"]) { take = try JavaScript.takeCount(limit ?? 100) }
        var limited = query
        limited.limit = take
        return .array(try shard.read { try $0.query(limited) }.documents.map(\.value))
    }

    static func count(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let query =
            args["status"].map { Database.indexQuery(AgentRecords.table, index: "by_status", [$0]) }
            ?? Query(AgentRecords.table)
        return .double(Double(try context.database.count(query)))
    }

    /// Activity sampled from at most 1000 rows per table.
    static func computeStats(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let agent = Value.string(try args.requiredString("agentId"))
        let db = context.database
        func sample(_ table: String, _ index: String) throws -> [Document] {
            try db.query(Database.indexQuery(table, index: index, [agent], limit: 1000)).documents
        }
        let memories = try sample("memories", "by_participantId")
        let conversations = try sample("conversations", "by_memorySpace")
        let facts = try sample("facts", "by_participantId")
        var spaces = Set<Value>()
        for m in memories { if let s = m.fields["memorySpaceId"] { spaces.insert(s) } }
        var out: ValueMap = [
            "totalMemories": .double(Double(memories.count)),
            "totalConversations": .double(Double(conversations.count)),
            "totalFacts": .double(Double(facts.count)),
            "memorySpacesActive": .double(Double(spaces.count)),
        ]
        let updated = (memories + conversations + facts).compactMap { $0.fields["updatedAt"]?.doubleValue }
        if let last = updated.max() { out["lastActive"] = .double(last) }
        out["isApproximate"] = .bool([memories, conversations, facts].contains { $0.count >= 1000 })
        return .map(out)
    }
}
