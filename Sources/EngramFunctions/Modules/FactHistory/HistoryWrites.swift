import EngramCore
import EngramStorage

/// The `factHistory` mutations: appending events and the deletions (GDPR cascades,
/// retention).
enum HistoryWrites {
    private typealias R = HistoryRecords

    /// The event fields `logEvent` stores as sent, in the table's order.
    private static let eventFields = [
        "factId", "memorySpaceId", "action", "oldValue", "newValue", "supersededBy", "supersedes", "reason",
        "confidence", "pipeline", "userId", "participantId", "conversationId",
    ]

    static func logEvent(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let space = try args.requiredString("memorySpaceId")
        try R.requireWritable(context, space)
        let eventId = Value.string(LogicalID.make("fh", now: context.now))
        var fields: ValueMap = ["eventId": eventId]
        for key in eventFields { if let v = args[key] { fields[key] = v } }
        fields["timestamp"] = context.nowValue
        let stored = fields
        let doc = try await context.database.shard(forShardKey: .string(space)).write(now: context.now) { scope in
            try scope.insert(R.table, stored)
        }
        return ["eventId": eventId, "_id": .string(doc.id.description)]
    }

    static func deleteByFactId(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let query = try R.query(context, index: "by_factId", [.string(try args.requiredString("factId"))])
        return ["deleted": .double(Double(try await R.deleteAll(context, query)))]
    }

    /// Events that name the user only as `participantId` are kept.
    static func deleteByUserId(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let query = try R.query(context, index: "by_userId", [.string(try args.requiredString("userId"))])
        return ["deleted": .double(Double(try await R.deleteAll(context, query)))]
    }

    static func deleteByMemorySpace(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let query = try R.query(context, index: "by_memorySpace", [.string(try args.requiredString("memorySpaceId"))])
        return ["deleted": .double(Double(try await R.deleteAll(context, query)))]
    }

    /// Deletes the oldest `limit` (default 1000) events stamped before `olderThan`, of
    /// one space (one transaction) or of all (one transaction per shard), and reports
    /// how many older events remain.
    static func purgeOldEvents(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let olderThan = Predicate.lt("timestamp", .double(try args.requiredNumber("olderThan")))
        let limit = args.number("limit") ?? 1000
        let deleted: Int, matched: Int
        if let space = args.string("memorySpaceId"), !space.isEmpty {
            let query = try R.query(context, index: "by_memorySpace_timestamp", [.string(space)], [olderThan])
            (deleted, matched) = try await context.database.shard(forShardKey: .string(space)).write(now: context.now) { scope in
                let doomed = try R.window(scope, query, start: 0, end: limit)
                let matched = try scope.count(query)
                for doc in doomed { try scope.delete(R.table, doc.id) }
                return (doomed.count, matched)
            }
        } else {
            let query = Query(
                R.table, filter: .and([olderThan] + [try R.confinement(context)].compactMap { $0 }),
                index: .named("by_timestamp"))
            let doomed = try R.window(context.database, query, start: 0, end: limit)
            matched = try context.database.count(query)
            var removed = 0
            for shard in Set(doomed.map { context.database.router.shard(of: $0.id) }).sorted() {
                let mine = doomed.filter { context.database.router.shard(of: $0.id) == shard }
                removed += try await context.database.shards[shard].write(now: context.now) { scope in
                    var removed = 0
                    for doc in mine where try scope.get(R.table, doc.id) != nil {
                        try scope.delete(R.table, doc.id)
                        removed += 1
                    }
                    return removed
                }
            }
            deleted = removed
        }
        return ["deleted": .double(Double(deleted)), "remaining": .double(Double(max(0, matched - deleted)))]
    }
}
