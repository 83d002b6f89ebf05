import EngramCore
import EngramStorage

/// The `factHistory` queries: events by fact, by id and by time; counts, activity
/// summaries and supersession chains.
enum HistoryQueries {
    private typealias R = HistoryRecords

    /// The fact's events, newest first; the first `limit` (default 100).
    static func getHistory(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let query = try R.query(context, index: "by_factId", [.string(try args.requiredString("factId"))], descending: true)
        let docs = try R.window(context.database, query, start: 0, end: args.number("limit") ?? 100)
        return .array(docs.map(\.value))
    }

    /// The oldest event with this id, or null.
    static func getEvent(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        var query = try R.query(context, index: "by_eventId", [.string(try args.requiredString("eventId"))])
        query.limit = 1
        return try context.database.query(query).documents.first?.value ?? .null
    }

    /// The inclusive `after`/`before` bounds on `timestamp`, applied whenever present.
    private static func timeWindow(_ args: ValueMap) -> [Predicate] {
        var conditions: [Predicate] = []
        if let after = args.number("after") { conditions.append(.ge("timestamp", .double(after))) }
        if let before = args.number("before") { conditions.append(.le("timestamp", .double(before))) }
        return conditions
    }

    /// The space's events, newest first, within the time window and of the action;
    /// `slice(offset, offset + limit)` with defaults 0 and 100.
    static func getChangesByTimeRange(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let space = Value.string(try args.requiredString("memorySpaceId"))
        var conditions = timeWindow(args)
        if let action = args["action"] { conditions.append(.eq("action", action)) }
        let query = try R.query(context, index: "by_memorySpace", [space], conditions, descending: true)
        let offset = args.number("offset") ?? 0
        let limit = args.number("limit") ?? 100
        let docs = try context.database.shard(forShardKey: space).read {
            try R.window($0, query, start: offset, end: offset + limit)
        }
        return .array(docs.map(\.value))
    }

    /// `{CREATE, UPDATE, SUPERSEDE, DELETE}` counts of `events` (all four keys always).
    private static func actionCounts(_ events: [Document]) -> ValueMap {
        var counts = ValueMap()
        for action in R.actions {
            counts[action] = .double(Double(events.filter { $0.fields["action"]?.stringValue == action }.count))
        }
        return counts
    }

    static func countByAction(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let space = Value.string(try args.requiredString("memorySpaceId"))
        let query = try R.query(context, index: "by_memorySpace", [space], timeWindow(args))
        let events = try context.database.shard(forShardKey: space).read { try $0.drain(query) }
        var out = actionCounts(events)
        out["total"] = .double(Double(events.count))
        return .map(out)
    }

    /// The space's events stamped at or after `now − hours` (default 24), with no upper
    /// bound: totals, per-action counts, distinct facts and distinct people (user and
    /// participant ids in one set).
    static func getActivitySummary(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let space = Value.string(try args.requiredString("memorySpaceId"))
        let hours = args.number("hours") ?? 24
        let since = Double(context.now) - hours * 3_600_000
        let query = try R.query(context, index: "by_memorySpace_timestamp", [space], [.ge("timestamp", .double(since))])
        let events = try context.database.shard(forShardKey: space).read { try $0.drain(query) }
        guard let sinceText = JavaScript.isoString(milliseconds: since),
            let untilText = JavaScript.isoString(milliseconds: Double(context.now))
        else { throw EngramError.plain("Invalid time value") }
        var facts = Set<Value>(), people = Set<String>()
        for event in events {
            if let fact = event.fields["factId"] { facts.insert(fact) }
            for key in ["participantId", "userId"] {
                if let id = event.fields[key]?.stringValue, !id.isEmpty { people.insert(id) }
            }
        }
        return [
            "timeRange": ["hours": .double(hours), "since": .string(sinceText), "until": .string(untilText)],
            "totalEvents": .double(Double(events.count)),
            "actionCounts": .map(actionCounts(events)),
            "uniqueFactsModified": .double(Double(facts.count)),
            "activeParticipants": .double(Double(people.count)),
        ]
    }

    /// Follows the oldest SUPERSEDE event's `supersedes` back from the fact and returns
    /// the lineage oldest first, ending with the fact itself ("Current version", stamped
    /// now). Throws a plain error when the links form a cycle (the reference loops
    /// until its limits abort the call).
    static func getSupersessionChain(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let factId = try args.requiredString("factId")
        var chain: [Value] = [["factId": .string(factId), "supersededBy": .null, "timestamp": context.nowValue, "reason": "Current version"]]
        var current = factId, visited: Set<String> = [factId]
        while true {
            var query = try R.query(context, index: "by_factId", [.string(current)], [.eq("action", "SUPERSEDE")])
            query.limit = 1
            guard let event = try context.database.query(query).documents.first,
                let previous = event.fields["supersedes"]?.stringValue, !previous.isEmpty
            else { break }
            guard visited.insert(previous).inserted else {
                throw EngramError.plain("SUPERSESSION_CYCLE: the supersedes links from fact '\(factId)' return to '\(previous)'")
            }
            var link: ValueMap = ["factId": .string(previous), "supersededBy": .string(current)]
            link["timestamp"] = event.fields["timestamp"]
            link["reason"] = event.fields["reason"]
            chain.insert(.map(link), at: 0)
            current = previous
        }
        return .array(chain)
    }
}
