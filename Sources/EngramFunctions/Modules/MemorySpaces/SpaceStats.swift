import EngramCore
import EngramStorage

/// `memorySpaces:getStats`: totals, window counts, importance histogram, top tags and
/// an optional per-participant breakdown, over one consistent snapshot of the
/// space's shard.
enum SpaceStats {
    static let windows: [String: Double] = [
        "24h": 86_400_000, "7d": 604_800_000, "30d": 2_592_000_000, "90d": 7_776_000_000,
    ]

    static func getStats(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let id = try args.requiredString("memorySpaceId")
        guard try context.database.shards[0].read({ try SpaceRecords.anyTenant($0, id, context) }) != nil else {
            throw EngramError.coded(SpaceRecords.notFound)
        }
        let cutoff = args.string("timeWindow").flatMap { windows[$0] }.map { Double(context.now) - $0 } ?? 0
        let key: [Value] = [.string(id)]
        let (conversations, memories, facts) = try context.database.shard(forShardKey: .string(id)).read { scope in
            (
                try scope.all("conversations", index: "by_memorySpace", key),
                try scope.all("memories", index: "by_memorySpace", key),
                try scope.all("facts", index: "by_memorySpace", key).filter { $0.fields["supersededBy"] == nil }
            )
        }
        func createdSince(_ docs: [Document]) -> Int {
            cutoff > 0 ? docs.filter { ($0.fields["createdAt"]?.doubleValue ?? -.infinity) >= cutoff }.count : docs.count
        }
        var result: ValueMap = [
            "memorySpaceId": .string(id),
            "totalMemories": .double(Double(memories.count)),
            "totalConversations": .double(Double(conversations.count)),
            "totalFacts": .double(Double(facts.count)),
            "totalMessages": .double(conversations.reduce(0) { $0 + ($1.fields["messageCount"]?.doubleValue ?? 0) }),
            "memoriesThisWindow": .double(Double(createdSince(memories))),
            "conversationsThisWindow": .double(Double(createdSince(conversations))),
            "storage": ["conversationsBytes": 0.0, "memoriesBytes": 0.0, "factsBytes": 0.0, "totalBytes": 0.0],
            "topTags": .array(JavaScript.mostFrequent(tagCounts(memories), limit: 10).map(Value.string)),
            "importanceBreakdown": importanceBreakdown(memories),
        ]
        if args["includeParticipants"] == .bool(true) {
            result["participants"] = participants(memories: memories, conversations: conversations, facts: facts)
        }
        return .map(result)
    }

    /// How often each tag occurs, in order of first appearance.
    static func tagCounts(_ memories: [Document]) -> OrderedDictionary<String, Int> {
        var counts = OrderedDictionary<String, Int>()
        for m in memories {
            for tag in m.fields["tags"]?.arrayValue ?? [] {
                if let t = tag.stringValue { counts[t, default: 0] += 1 }
            }
        }
        return counts
    }

    static func importanceBreakdown(_ memories: [Document]) -> Value {
        var buckets: OrderedDictionary<String, Int> = ["critical": 0, "high": 0, "medium": 0, "low": 0, "trivial": 0]
        for m in memories {
            let importance = m.fields["importance"]?.doubleValue ?? .nan
            let bucket =
                importance >= 90 ? "critical" : importance >= 70 ? "high" : importance >= 40 ? "medium" : importance >= 10 ? "low" : "trivial"
            buckets[bucket, default: 0] += 1
        }
        return .map(ValueMap(uniqueKeysWithValues: buckets.map { ($0.key, Value.double(Double($0.value))) }))
    }

    /// One participant's activity, grouped from memories.
    struct Group {
        var memories: [Document] = []
        var importanceSum = 0.0
        var firstActive: Double
        var lastActive: Double
        var conversations = 0
        var facts = 0
    }

    /// A document's participant group key: its `participantId`, or `unknown` when falsy.
    static func participantKey(_ doc: Document) -> String {
        JavaScript.isTruthy(doc.fields["participantId"]) ? (doc.fields["participantId"]?.stringValue ?? "unknown") : "unknown"
    }

    static func participants(memories: [Document], conversations: [Document], facts: [Document]) -> Value {
        var groups = OrderedDictionary<String, Group>()
        for m in memories {
            let created = m.fields["createdAt"]?.doubleValue ?? 0
            let updated = m.fields["updatedAt"].flatMap { JavaScript.isTruthy($0) ? $0.doubleValue : nil } ?? created
            let key = participantKey(m)
            var g = groups[key] ?? Group(firstActive: created, lastActive: created)
            g.memories.append(m)
            g.importanceSum += JavaScript.isTruthy(m.fields["importance"]) ? (m.fields["importance"]?.doubleValue ?? 0) : 0
            g.firstActive = min(g.firstActive, created)
            g.lastActive = max(g.lastActive, updated)
            groups[key] = g
        }
        for c in conversations { groups[participantKey(c)]?.conversations += 1 }
        for f in facts { groups[participantKey(f)]?.facts += 1 }
        return .array(
            groups.map { key, g in
                [
                    "participantId": .string(key),
                    "memoriesStored": .double(Double(g.memories.count)),
                    "conversationsStored": .double(Double(g.conversations)),
                    "factsExtracted": .double(Double(g.facts)),
                    "firstActive": .double(g.firstActive),
                    "lastActive": .double(g.lastActive),
                    "avgImportance": .double(JavaScript.round(g.importanceSum / Double(g.memories.count))),
                    "topTags": .array(JavaScript.mostFrequent(tagCounts(g.memories), limit: 5).map(Value.string)),
                ]
            })
    }
}
