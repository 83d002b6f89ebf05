import EngramCore
import EngramStorage

/// `conversations:list`: filtered, sorted, offset-paginated conversations.
enum ConversationList {
    typealias C = Conversation

    /// The reference's candidate index for the set filters (first applicable rule);
    /// every set filter is then also an equality condition, applied before paging.
    static func candidates(_ ctx: FunctionContext, _ args: ValueMap) throws -> [Document] {
        let tenant = args.setString("tenantId"), space = args.setString("memorySpaceId")
        let user = args.setString("userId"), type = args.setString("type")
        var conditions: [Predicate] = []
        if let tenant { conditions.append(.eq("tenantId", .string(tenant))) }
        if let space { conditions.append(.eq("memorySpaceId", .string(space))) }
        if let user { conditions.append(.eq("participants.userId", .string(user))) }
        if let type { conditions.append(.eq("type", .string(type))) }
        if let participant = args.setString("participantId") { conditions.append(.eq("participantId", .string(participant))) }
        if let v = ctx.visibility { conditions.append(v) }
        let index: Query.IndexChoice
        switch (tenant, space, user, type) {
        case (_?, _?, _, _): index = .named("by_tenant_space")
        case (_?, nil, _, _): index = .named("by_tenantId")
        case (nil, _?, _?, _): index = .named("by_memorySpace_user")
        case (nil, _?, nil, _): index = .named("by_memorySpace")
        case (nil, nil, _?, _): index = .named("by_user")
        case (nil, nil, nil, _?): index = .named("by_type")
        default: index = .creationOrder
        }
        return try ctx.database.drain(Query(C.table, filter: conditions.isEmpty ? nil : .and(conditions), index: index))
    }

    /// The range filters, each applied only when its argument is present.
    static func inRanges(_ f: ValueMap, _ args: ValueMap) -> Bool {
        let created = f.number("createdAt") ?? .nan, updated = f.number("updatedAt") ?? .nan
        let last = C.lastMessageAt(f), count = C.messageCount(f)
        let checks: [(String, (Double) -> Bool)] = [
            ("createdBefore", { created < $0 }), ("createdAfter", { created > $0 }),
            ("updatedBefore", { updated < $0 }), ("updatedAfter", { updated > $0 }),
            ("lastMessageBefore", { last < $0 }), ("lastMessageAfter", { last > $0 }),
            ("messageCountMin", { count >= $0 }), ("messageCountMax", { count <= $0 }),
        ]
        return checks.allSatisfy { name, test in args.number(name).map(test) ?? true }
    }

    /// The filtered, sorted page of conversations with total and hasMore.
    static func list(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let matches = try candidates(ctx, args).filter { inRanges($0.fields, args) }
        let key: (Document) -> Double
        switch args.string("sortBy") ?? "createdAt" {
        case "updatedAt": key = { $0.fields.number("updatedAt") ?? .nan }
        case "lastMessageAt": key = { C.lastMessageAt($0.fields) }
        case "messageCount": key = { C.messageCount($0.fields) }
        default: key = { $0.fields.number("createdAt") ?? .nan }
        }
        let ascending = args.string("sortOrder") == "asc"
        let sorted = JavaScript.stableSorted(matches) { ascending ? key($0) < key($1) : key($1) < key($0) }
        let limit = args.number("limit", orDefault: 50), offset = args.number("offset") ?? 0
        let total = Double(sorted.count)
        let withMessages = args.bool("includeMessages") != false
        let page = JavaScript.slice(sorted, start: offset, end: offset + limit)
        return [
            "conversations": .array(page.map { withMessages ? $0.value : C.value($0, messages: []) }),
            "total": .double(total), "limit": .double(limit), "offset": .double(offset),
            "hasMore": .bool(offset + limit < total),
        ]
    }
}
