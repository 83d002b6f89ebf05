import EngramCore
import EngramStorage

/// `conversations:deleteMany`, `deleteByIds` and `purgeAll`.
///
/// With a `memorySpaceId` everything happens in one shard and one transaction.
/// Without one, matches are chosen on a fan-out read (so the threshold counts every
/// shard) and each shard then deletes exactly its chosen documents that still exist.
enum ConversationDeletes {
    typealias C = Conversation

    /// The conversations of `space` (or of every space) matching the filters, in scan order.
    static func matches(
        _ reader: some TableReader, space: String?, condition: Predicate?
    ) throws -> [Document] {
        if let space { return try reader.all(C.table, index: "by_memorySpace", [.string(space)], where: condition) }
        return try reader.scan(C.table, where: condition)
    }

    /// Equality on `participants.userId` and `type` when set, plus the caller's visibility.
    static func filter(_ ctx: FunctionContext, userId: String?, type: String?) -> Predicate? {
        var parts: [Predicate] = []
        if let userId { parts.append(.eq("participants.userId", .string(userId))) }
        if let type { parts.append(.eq("type", .string(type))) }
        if let v = ctx.visibility { parts.append(v) }
        return parts.isEmpty ? nil : .and(parts)
    }

    /// Deletes the conversations matching userId / memorySpaceId / type, with a dry run and a confirmation threshold.
    static func deleteMany(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let space = args.setString("memorySpaceId")
        let condition = filter(ctx, userId: args.setString("userId"), type: args.setString("type"))
        let threshold = args.number("confirmationThreshold") ?? 10
        @Sendable func check(_ docs: [Document]) throws {
            let n = Double(docs.count)
            if n > threshold {
                throw EngramError.coded(
                    "DELETE_MANY_THRESHOLD_EXCEEDED: Would delete \(JavaScript.numberText(n)) conversations (threshold: "
                        + "\(JavaScript.numberText(threshold))). Use dryRun first or increase confirmationThreshold.")
            }
        }
        if args.isSet("dryRun") {
            let found = try matches(ctx.database, space: space, condition: condition)
            return [
                "deleted": .double(0), "totalMessagesDeleted": .double(0), "conversationIds": [],
                "wouldDelete": .double(Double(found.count)),
                "wouldDeleteMessages": .double(found.reduce(0) { $0 + C.messageCount($1.fields) }), "dryRun": true,
            ]
        }
        let shards = try ctx.database.shards(of: C.table, shardKey: space.map { .string($0) })
        let deleted: [Document]
        if shards.count == 1 {
            deleted = try await ctx.database.deleteEach(C.table, in: shards, now: ctx.now) { scope in
                let found = try matches(scope, space: space, condition: condition)
                try check(found)
                return found
            }
        } else {
            let planned = try matches(ctx.database, space: space, condition: condition)
            try check(planned)
            let ids = Set(planned.map(\.id))
            deleted = try await ctx.database.deleteEach(C.table, in: shards, now: ctx.now) { scope in
                try matches(scope, space: space, condition: condition).filter { ids.contains($0.id) }
            }
        }
        return [
            "deleted": .double(Double(deleted.count)),
            "totalMessagesDeleted": .double(deleted.reduce(0) { $0 + C.messageCount($1.fields) }),
            "conversationIds": .array(deleted.map { $0.fields["conversationId"] ?? .null }), "dryRun": false,
        ]
    }

    /// Deletes conversations by conversationId, in input order, skipping missing ones.
    static func deleteByIds(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let requested = (args.array("conversationIds") ?? []).compactMap(\.stringValue)
        // The n-th occurrence of an id deletes the n-th oldest document with it: what
        // repeated "first match, delete" lookups in one transaction do.
        var byId: [String: [Document]] = [:], used: [String: Int] = [:]
        var plan: [(position: Int, doc: Document)] = []
        for (position, id) in requested.enumerated() {
            let docs = try byId[id] ?? ctx.database.all(C.table, index: "by_conversationId", [.string(id)], where: ctx.visibility)
            byId[id] = docs
            let k = used[id, default: 0]
            used[id] = k + 1
            if k < docs.count { plan.append((position, docs[k])) }
        }
        let byShard = Dictionary(grouping: plan.map(\.doc.id)) { ctx.database.router.shard(of: $0) }
        var counts: [DocumentID: Double] = [:]
        for (shard, ids) in byShard.sorted(by: { $0.key < $1.key }) {
            let done = try await ctx.database.shards[shard].write(now: ctx.now) { scope in
                var out: [DocumentID: Double] = [:]
                for id in ids {
                    guard let doc = try scope.get(C.table, id) else { continue }
                    try scope.delete(C.table, id)
                    out[id] = C.messageCount(doc.fields)
                }
                return out
            }
            counts.merge(done) { a, _ in a }
        }
        let deleted = plan.filter { counts[$0.doc.id] != nil }
        return [
            "deleted": .double(Double(deleted.count)),
            "conversationIds": .array(deleted.map { .string(requested[$0.position]) }),
            "totalMessagesDeleted": .double(deleted.reduce(0) { $0 + (counts[$1.doc.id] ?? 0) }),
        ]
    }

    /// Deletes every conversation the caller sees (when purges are allowed).
    static func purgeAll(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        try ctx.requirePurgeAllowed()
        let visibility = ctx.visibility
        let deleted = try await ctx.database.deleteEach(C.table, in: ctx.database.shards, now: ctx.now) { scope in
            try scope.scan(C.table, where: visibility)
        }
        return [
            "deleted": .double(Double(deleted.count)),
            "totalMessagesDeleted": .double(deleted.reduce(0) { $0 + C.messageCount($1.fields) }),
        ]
    }
}
