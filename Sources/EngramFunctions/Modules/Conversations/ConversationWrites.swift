import EngramCore
import EngramStorage

/// `conversations:create`, `addMessage`, `getOrCreate` and `deleteConversation`.
enum ConversationWrites {
    typealias C = Conversation

    /// Creates an empty conversation under a caller-chosen id, unique across shards.
    static func create(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let type = args.string("type") ?? "", participants = args.object("participants") ?? [:]
        try C.validate(type: type, participants: participants)
        let conversationId = args.string("conversationId") ?? ""
        // conversationId is unique across every tenant and space: check all shards first,
        // then again inside the home shard's transaction (closing the same-shard race).
        if try ctx.database.first(C.table, index: "by_conversationId", [.string(conversationId)]) != nil {
            throw EngramError.coded("CONVERSATION_ALREADY_EXISTS")
        }
        let fields = C.newFields(conversationId: conversationId, args: args, tenantId: args.string("tenantId"), now: ctx.nowValue)
        let home = try ctx.database.home(of: C.table, shardKey: args["memorySpaceId"])
        return try await home.write(now: ctx.now) { scope in
            if try scope.first(C.table, index: "by_conversationId", [.string(conversationId)]) != nil {
                throw EngramError.coded("CONVERSATION_ALREADY_EXISTS")
            }
            return try scope.insert(C.table, fields).value
        }
    }

    /// Appends one message (timestamped now) and returns the updated conversation.
    static func addMessage(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        guard let found = try C.find(ctx, args.string("conversationId") ?? "") else { throw C.notFound }
        let received = args.object("message") ?? [:]
        var message: ValueMap = ["id": received["id"] ?? "", "role": received["role"] ?? "", "content": received["content"] ?? ""]
        message["timestamp"] = ctx.nowValue
        message["participantId"] = received["participantId"]
        message["metadata"] = received["metadata"]
        let appended = Value.map(message)
        return try await C.write(ctx, found) { scope, doc in
            let patch = Patch(set: [
                "messages": .array(C.messages(doc.fields) + [appended]),
                "messageCount": .double(C.messageCount(doc.fields) + 1),
                "updatedAt": ctx.nowValue,
            ])
            return try scope.patch(C.table, doc.id, patch).value
        }
    }

    /// Deletes one conversation (the oldest with this id).
    static func deleteConversation(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let conversationId = args.string("conversationId") ?? ""
        guard let found = try C.find(ctx, conversationId) else { throw C.notFound }
        let messages = try await C.write(ctx, found) { scope, doc in
            try scope.delete(C.table, doc.id)
            return C.messageCount(doc.fields)
        }
        return [
            "deleted": true, "conversationId": .string(conversationId), "messagesDeleted": .double(messages),
            "deletedAt": ctx.nowValue, "restorable": false,
        ]
    }

    /// Returns the oldest conversation with these participants, or creates one with a
    /// generated id.
    static func getOrCreate(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let type = args.string("type") ?? "", participants = args.object("participants") ?? [:]
        try C.validate(type: type, participants: participants)
        let memorySpaceId = args["memorySpaceId"] ?? ""
        let fields = C.newFields(
            conversationId: "conv-\(ctx.now)-\(randomBase36(9))", args: args, tenantId: ctx.caller.tenantId,
            now: ctx.nowValue)
        let home = try ctx.database.home(of: C.table, shardKey: memorySpaceId)
        if type == "user-agent" {
            // Lookup and insert touch only the space's shard: one transaction.
            let condition = Predicate.both(
                .and([.eq("type", "user-agent"), .eq("participants.agentId", participants["agentId"] ?? "")]), ctx.visibility)
            let userId = participants["userId"] ?? ""
            return try await home.write(now: ctx.now) { scope in
                if let existing = try scope.first(
                    C.table, index: "by_memorySpace_user", [memorySpaceId, userId], where: condition)
                {
                    return existing.value
                }
                return try scope.insert(C.table, fields).value
            }
        }
        // agent-agent: any space may hold the match, so look everywhere first, then
        // look again in the home shard inside the inserting transaction.
        let ids = participants.array("memorySpaceIds") ?? []
        let candidates = try ctx.database.all(C.table, index: "by_type", ["agent-agent"], where: ctx.visibility)
        if let existing = C.firstAgentAgent(candidates, memorySpaceIds: ids) { return existing.value }
        let visibility = ctx.visibility
        return try await home.write(now: ctx.now) { scope in
            let local = try scope.all(C.table, index: "by_type", ["agent-agent"], where: visibility)
            if let existing = C.firstAgentAgent(local, memorySpaceIds: ids) { return existing.value }
            return try scope.insert(C.table, fields).value
        }
    }

    /// `Math.random().toString(36).substring(2, 2 + n)`: n characters of [0-9a-z].
    static func randomBase36(_ n: Int) -> String {
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var rng = SystemRandomNumberGenerator()
        return String((0..<n).map { _ in digits[Int(rng.next(upperBound: UInt64(36)))] })
    }
}
