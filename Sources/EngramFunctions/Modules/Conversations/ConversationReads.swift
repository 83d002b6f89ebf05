import EngramCore
import EngramStorage

/// `conversations:get`, `getMessage`, `getMessagesByIds`, `findConversation`,
/// `count` and `getHistory`.
enum ConversationReads {
    typealias C = Conversation

    /// One conversation (tenant-checked, messages trimmed or omitted on request), or null.
    static func get(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        guard let doc = try C.find(ctx, args.string("conversationId") ?? "") else { return .null }
        if let tenant = args.setString("tenantId"), doc.fields["tenantId"] != .string(tenant) { return .null }
        if args.bool("includeMessages") == false { return C.value(doc, messages: []) }
        if let limit = args.number("messageLimit"), limit > 0 {
            return C.value(doc, messages: JavaScript.slice(C.messages(doc.fields), start: -limit))
        }
        return doc.value
    }

    /// The first stored message with this id, or null.
    static func getMessage(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        guard let doc = try C.find(ctx, args.string("conversationId") ?? "") else { return .null }
        let id = args["messageId"]
        return C.messages(doc.fields).first { $0.mapValue?["id"] == id } ?? .null
    }

    /// The stored messages whose id is listed, in stored order.
    static func getMessagesByIds(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        guard let doc = try C.find(ctx, args.string("conversationId") ?? "") else { return [] }
        let wanted = Set(args.array("messageIds") ?? [])
        return .array(C.messages(doc.fields).filter { m in m.mapValue?["id"].map { wanted.contains($0) } ?? false })
    }

    /// The oldest user-agent conversation of a user in a space, or agent-agent conversation of a set of spaces, or null.
    static func findConversation(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        if args.string("type") == "user-agent" {
            guard let userId = args.setString("userId") else { return .null }
            let found = try ctx.database.first(
                C.table, index: "by_memorySpace_user", [args["memorySpaceId"] ?? "", .string(userId)],
                where: .both(.eq("type", "user-agent"), ctx.visibility))
            return found?.value ?? .null
        }
        guard let ids = args.array("memorySpaceIds"), ids.count >= 2 else { return .null }
        let candidates = try ctx.database.all(C.table, index: "by_type", ["agent-agent"], where: ctx.visibility)
        return C.firstAgentAgent(candidates, memorySpaceIds: ids)?.value ?? .null
    }

    /// The number of conversations matching userId / memorySpaceId / type.
    static func count(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let condition = ConversationDeletes.filter(ctx, userId: args.setString("userId"), type: args.setString("type"))
        var query = Query(C.table, filter: condition, index: .creationOrder)
        if let space = args.setString("memorySpaceId") {
            query = Query(C.table, filter: .both(.eq("memorySpaceId", .string(space)), condition), index: .named("by_memorySpace"))
        }
        return .double(Double(try ctx.database.count(query)))
    }

    /// A filtered, ordered page of one conversation's messages; throws `CONVERSATION_NOT_FOUND`.
    static func getHistory(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        guard let doc = try C.find(ctx, args.string("conversationId") ?? "") else { throw C.notFound }
        var messages = C.messages(doc.fields)
        let timestamp: (Value) -> Double = { $0.mapValue?.number("timestamp") ?? .nan }
        if let since = args.number("since") { messages = messages.filter { timestamp($0) >= since } }
        if let until = args.number("until") { messages = messages.filter { timestamp($0) <= until } }
        if let roles = args.array("roles"), !roles.isEmpty {
            messages = messages.filter { m in m.mapValue?["role"].map { roles.contains($0) } ?? false }
        }
        let total = Double(messages.count)
        if args.string("sortOrder") == "desc" { messages.reverse() }
        let limit = args.number("limit", orDefault: 50), offset = args.number("offset") ?? 0
        return [
            "messages": .array(JavaScript.slice(messages, start: offset, end: offset + limit)), "total": .double(total),
            "hasMore": .bool(offset + limit < total), "conversationId": doc.fields["conversationId"] ?? .null,
        ]
    }
}
