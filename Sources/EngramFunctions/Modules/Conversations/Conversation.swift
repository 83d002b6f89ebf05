import EngramCore
import EngramStorage

/// The `conversations` table: its argument types, document builders and lookups,
/// shared by every `conversations:*` function.
///
/// The table is sharded by `memorySpaceId`, while most calls name a
/// `conversationId`: those find the document with a fan-out lookup on
/// `by_conversationId` (the oldest match across shards), then write in the shard that
/// holds it, re-reading it by id inside the transaction.
enum Conversation {
    static let table = "conversations"

    /// `"user-agent" | "agent-agent"`.
    static let type: ArgumentType = .literals(["user-agent", "agent-agent"])
    /// The `participants` object.
    static let participants: ArgumentType = .object([
        .optional("userId", .string), .optional("agentId", .string), .optional("participantId", .string),
        .optional("memorySpaceIds", .array(.string)),
    ])
    /// A message role.
    static let role: ArgumentType = .literals(["user", "agent", "system"])

    static let notFound = EngramError.coded("CONVERSATION_NOT_FOUND")

    /// Checks `participants` against `type`, in the reference's order.
    static func validate(type: String, participants p: ValueMap) throws {
        if type == "user-agent" {
            guard p.setString("userId") != nil else { throw EngramError.coded("user-agent conversations require userId") }
            guard p.setString("agentId") != nil else {
                throw EngramError.coded(
                    "agentId is required when userId is provided. User-agent conversations require both a user and an agent participant.")
            }
        } else {
            guard let ids = p.array("memorySpaceIds"), ids.count >= 2 else {
                throw EngramError.coded("agent-agent conversations require at least 2 memorySpaceIds")
            }
        }
    }

    /// The fields of a new, empty conversation, in the contract's order.
    static func newFields(
        conversationId: String, args: ValueMap, tenantId: String?, now: Value
    ) -> ValueMap {
        var f: ValueMap = ["conversationId": .string(conversationId)]
        f["memorySpaceId"] = args["memorySpaceId"]
        f["participantId"] = args["participantId"]
        f["tenantId"] = tenantId.map { .string($0) }
        f["type"] = args["type"]
        f["participants"] = args["participants"]
        f["messages"] = .array([])
        f["messageCount"] = .double(0)
        f["metadata"] = args.isSet("metadata") ? args["metadata"] : .map([:])
        f["createdAt"] = now
        f["updatedAt"] = now
        return f
    }

    /// The conversation `conversationId` the caller sees: the oldest match on
    /// `by_conversationId` across every shard.
    static func find(_ ctx: FunctionContext, _ conversationId: String) throws -> Document? {
        try ctx.database.first(table, index: "by_conversationId", [.string(conversationId)], where: ctx.visibility)
    }

    /// Runs `body` on `found` inside a write transaction of its shard, re-reading it
    /// by id first; throws `CONVERSATION_NOT_FOUND` if it vanished meanwhile.
    static func write<T: Sendable>(
        _ ctx: FunctionContext, _ found: Document, _ body: @escaping @Sendable (WriteScope, Document) throws -> T
    ) async throws -> T {
        try await ctx.database.shard(of: found.id).write(now: ctx.now) { scope in
            guard let current = try scope.get(table, found.id) else { throw notFound }
            return try body(scope, current)
        }
    }

    /// Whether two lists hold the same strings with the same multiplicities.
    static func sameMultiset(_ a: [Value], _ b: [Value]) -> Bool {
        guard a.count == b.count else { return false }
        let order: (Value, Value) -> Bool = { x, y in
            if let s = x.stringValue, let t = y.stringValue { return JavaScript.less(s, t) }
            return x < y
        }
        return a.sorted(by: order).elementsEqual(b.sorted(by: order))
    }

    /// The first stored agent-agent conversation whose `participants.memorySpaceIds`
    /// equals `ids` as a multiset, among `candidates` (already in scan order).
    static func firstAgentAgent(_ candidates: [Document], memorySpaceIds ids: [Value]) -> Document? {
        candidates.first { doc in
            guard let stored = doc.fields.object("participants")?.array("memorySpaceIds") else { return false }
            return sameMultiset(stored, ids)
        }
    }

    /// The stored messages.
    static func messages(_ fields: ValueMap) -> [Value] { fields.array("messages") ?? [] }

    /// `messageCount` as a number (0 when missing).
    static func messageCount(_ fields: ValueMap) -> Double { fields.number("messageCount") ?? 0 }

    /// The timestamp of the last message, or `createdAt` when there is none.
    static func lastMessageAt(_ fields: ValueMap) -> Double {
        messages(fields).last?.mapValue?.number("timestamp") ?? fields.number("createdAt") ?? 0
    }

    /// The whole document with `messages` replaced.
    static func value(_ doc: Document, messages: [Value]) -> Value {
        var d = doc
        d.fields["messages"] = .array(messages)
        return d.value
    }
}
