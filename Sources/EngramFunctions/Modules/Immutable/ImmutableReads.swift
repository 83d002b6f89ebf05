import EngramCore
import EngramStorage

/// `immutable:get`, `getVersion`, `getHistory`, `getAtTimestamp`, `list`, `search`
/// and `count`.
enum ImmutableReads {
    typealias R = ImmutableRecord

    /// The current document of (type, id) by the tenant lookup rule, or null.
    static func get(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let doc = try R.lookup(ctx.database, type: args.string("type") ?? "", id: args.string("id") ?? "", tenantId: args.setString("tenantId"))
        return doc?.value ?? .null
    }

    /// The view of one version of (type, id), or null.
    static func getVersion(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        guard
            let doc = try R.lookup(ctx.database, type: args.string("type") ?? "", id: args.string("id") ?? "", tenantId: args.setString("tenantId"))
        else { return .null }
        let version = args.number("version") ?? .nan
        if doc.fields.number("version") == version { return R.currentView(doc.fields) }
        let entry = R.previousVersions(doc.fields).first { $0.mapValue?.number("version") == version }
        return entry.map { R.previousView(doc.fields, $0) } ?? .null
    }

    /// The views of every retained version, oldest first.
    static func getHistory(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        guard let doc = try R.anyTenant(ctx, ctx.database, type: args.string("type") ?? "", id: args.string("id") ?? "") else {
            return []
        }
        let views = R.previousVersions(doc.fields).map { R.previousView(doc.fields, $0) } + [R.currentView(doc.fields)]
        let version: (Value) -> Double = { $0.mapValue?.number("version") ?? .nan }
        return .array(JavaScript.stableSorted(views) { version($0) < version($1) })
    }

    /// The view of the version current at a moment, or null.
    static func getAtTimestamp(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        guard let doc = try R.anyTenant(ctx, ctx.database, type: args.string("type") ?? "", id: args.string("id") ?? "") else {
            return .null
        }
        let t = args.number("timestamp") ?? .nan, f = doc.fields
        if t >= f.number("updatedAt") ?? .nan { return R.currentView(f) }
        if t < f.number("createdAt") ?? .nan { return .null }
        let previous = R.previousVersions(f)
        if let hit = previous.reversed().first(where: { ($0.mapValue?.number("timestamp") ?? .nan) <= t }) {
            return R.previousView(f, hit)
        }
        return previous.first.map { R.previousView(f, $0) } ?? .null
    }

    /// Strict date filters, each applied when its argument is present.
    static func inDateRange(_ f: ValueMap, _ args: ValueMap) -> Bool {
        let created = f.number("createdAt") ?? .nan, updated = f.number("updatedAt") ?? .nan
        let checks: [(String, (Double) -> Bool)] = [
            ("createdAfter", { created > $0 }), ("createdBefore", { created < $0 }),
            ("updatedAfter", { updated > $0 }), ("updatedBefore", { updated < $0 }),
        ]
        return checks.allSatisfy { name, test in args.number(name).map(test) ?? true }
    }

    /// Candidates on `by_type` when type is set, else `by_userId` when userId is set
    /// (if `byUser`), else the whole table; every set filter is an equality condition.
    static func candidates(_ ctx: FunctionContext, _ args: ValueMap, byUser: Bool, tenant: String?) throws -> [Document] {
        let type = args.setString("type"), user = args.setString("userId")
        var conditions: [Predicate] = []
        if let type { conditions.append(.eq("type", .string(type))) }
        if let user { conditions.append(.eq("userId", .string(user))) }
        if let tenant { conditions.append(.eq("tenantId", .string(tenant))) }
        if let v = ctx.visibility { conditions.append(v) }
        let index: Query.IndexChoice = type != nil ? .named("by_type") : (byUser && user != nil ? .named("by_userId") : .creationOrder)
        let docs = try ctx.database.drain(Query(R.table, filter: conditions.isEmpty ? nil : .and(conditions), index: index))
        return docs.filter { inDateRange($0.fields, args) }
    }

    /// The filtered, sorted page of records with total and hasMore.
    static func list(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let matches = try candidates(ctx, args, byUser: true, tenant: args.setString("tenantId"))
        let field = args.string("sortBy") == "updatedAt" ? "updatedAt" : "createdAt"
        let descending = (args.string("sortOrder") ?? "desc") == "desc"
        let key: (Document) -> Double = { $0.fields.number(field) ?? .nan }
        let sorted = JavaScript.stableSorted(matches) { descending ? key($1) < key($0) : key($0) < key($1) }
        let limit = args.number("limit", orDefault: 50), offset = args.number("offset") ?? 0
        let entries = JavaScript.slice(JavaScript.slice(sorted, start: offset), start: 0, end: limit)
        let total = Double(sorted.count)
        return [
            "entries": .array(entries.map(\.value)), "total": .double(total), "limit": .double(limit), "offset": .double(offset),
            "hasMore": .bool(offset + Double(entries.count) < total),
        ]
    }

    /// Up to 3 excerpts of the top-level string properties of `data` that contain `q`.
    static func highlights(_ data: Value, q: String) -> [Value] {
        let properties: [Value]
        switch data {
        case .array(let a): properties = a
        case .map(let m): properties = JSONText.enumerationOrder(Array(m.keys)).compactMap { m[$0] }
        default: return []
        }
        var out: [Value] = []
        for case .string(let s) in properties {
            guard out.count < 3, let i = JavaScript.indexOf(JavaScript.lowercase(s), q) else { continue }
            let end = min(JavaScript.length(s), i + JavaScript.length(q) + 30)
            out.append(.string(JavaScript.substring(s, from: max(0, i - 30), to: end)))
        }
        return out
    }

    /// Records whose data's JSON text contains the query (case-insensitive), in creation order.
    static func search(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let q = JavaScript.lowercase(args.string("query") ?? "")
        let docs = try candidates(ctx, args, byUser: false, tenant: nil).sorted { $0.id < $1.id }
        var results: [Value] = []
        for doc in docs {
            let data = doc.fields["data"] ?? .null
            guard JavaScript.includes(JavaScript.lowercase(JSONText.stringify(data)), q) else { continue }
            results.append(["entry": doc.value, "score": .double(1), "highlights": .array(highlights(data, q: q))])
        }
        return .array(JavaScript.slice(results, start: 0, end: args.number("limit", orDefault: 10)))
    }

    /// The number of records matching type / userId / dates.
    static func count(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        .double(Double(try candidates(ctx, args, byUser: false, tenant: nil).count))
    }
}
