import EngramCore
import EngramStorage

/// `memorySpaces` queries over the registry (memorySpaces.md): lookups and full scans
/// of the system shard.
enum SpaceQueries {
    static func get(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let id = try args.requiredString("memorySpaceId")
        let tenant = args.string("tenantId")
        return try context.database.shards[0].read { try SpaceRecords.scoped($0, id, tenantId: tenant) }?.value ?? .null
    }

    /// Every space the caller may see, in creation order.
    private static func scan(_ context: FunctionContext) throws -> [Document] {
        try context.database.shards[0].read { try $0.scan(SpaceRecords.table) }.filter { context.maySee($0.fields) }
    }

    /// Whether `doc` passes the optional exact `type` and `status` filters of `args`.
    private static func matchesKind(_ doc: Document, _ args: ValueMap) -> Bool {
        for key in ["type", "status"] {
            if let want = args[key], doc.fields[key] != want { return false }
        }
        return true
    }

    /// The string argument `key` when present and non-empty (`""` means no filter).
    private static func nonEmpty(_ args: ValueMap, _ key: String) -> Value? {
        guard let s = args.string(key), !s.isEmpty else { return Optional.none }
        return .string(s)
    }

    static func list(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let tenant = nonEmpty(args, "tenantId"), participant = nonEmpty(args, "participant")
        let matches = try scan(context).filter { doc in
            if let tenant, doc.fields["tenantId"] != tenant { return false }
            if let participant, !SpaceRecords.hasParticipant(doc.fields, participant) { return false }
            return matchesKind(doc, args)
        }
        let sortBy = args.string("sortBy") ?? "createdAt"
        let descending = (args.string("sortOrder") ?? "desc") == "desc"
        let less: (Document, Document) -> Bool
        if sortBy == "name" {
            func name(_ d: Document) -> String { d.fields["name"]?.stringValue ?? "" }
            less = { JavaScript.less(name($0), name($1)) }
        } else {
            func time(_ d: Document) -> Double { d.fields[sortBy]?.doubleValue ?? 0 }
            less = { time($0) < time($1) }
        }
        let sorted = JavaScript.stableSorted(matches) { descending ? less($1, $0) : less($0, $1) }
        let offset = JavaScript.isTruthy(args["offset"]) ? (args.number("offset") ?? 0) : 0
        let limit = JavaScript.isTruthy(args["limit"]) ? (args.number("limit") ?? 100) : 100
        let page = JavaScript.slice(sorted, start: offset, end: offset + limit)
        return [
            "spaces": .array(page.map(\.value)),
            "total": .double(Double(matches.count)),
            "hasMore": .bool(offset + limit < Double(matches.count)),
            "offset": .double(offset),
        ]
    }

    static func count(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        .double(Double(try scan(context).filter { matchesKind($0, args) }.count))
    }

    static func findByParticipant(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let id = Value.string(try args.requiredString("participantId"))
        return .array(try scan(context).filter { SpaceRecords.hasParticipant($0.fields, id) }.map(\.value))
    }

    /// Case-insensitive containment in the name, the id, or the compact JSON of the metadata.
    static func search(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let query = try args.requiredString("query")
        let matches = try scan(context).filter { doc in
            guard matchesKind(doc, args) else { return false }
            if let name = doc.fields["name"]?.stringValue, !name.isEmpty, JavaScript.containsIgnoringCase(name, query) {
                return true
            }
            if JavaScript.containsIgnoringCase(doc.fields["memorySpaceId"]?.stringValue ?? "", query) { return true }
            if let metadata = doc.fields["metadata"], JavaScript.isTruthy(metadata) {
                return JavaScript.containsIgnoringCase(JSONText.stringify(metadata), query)
            }
            return false
        }
        let limit = JavaScript.isTruthy(args["limit"]) ? (args.number("limit") ?? 50) : 50
        return .array(JavaScript.slice(matches, start: 0, end: limit).map(\.value))
    }
}
