import EngramCore
import EngramStorage

/// `mutable:get`, `exists`, `list` and `count`.
enum MutableReads {
    typealias R = MutableRecord

    /// The record of (namespace, key) by the tenant lookup rule, or null.
    static func get(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let doc = try R.lookup(
            ctx.database, namespace: args.string("namespace") ?? "", key: args.string("key") ?? "", tenantId: args.setString("tenantId"))
        return doc?.value ?? .null
    }

    /// Whether the tenant lookup rule finds (namespace, key).
    static func exists(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let doc = try R.lookup(
            ctx.database, namespace: args.string("namespace") ?? "", key: args.string("key") ?? "", tenantId: args.setString("tenantId"))
        return .bool(doc != nil)
    }

    /// The namespace's records (range rule) that pass the filters, in creation order.
    static func matching(_ ctx: FunctionContext, _ args: ValueMap) throws -> [Document] {
        try R.namespace(ctx.database, args.string("namespace") ?? "", tenantId: args.setString("tenantId")).filter(R.matches(args))
    }

    /// The filtered, sorted page of a namespace's records (a plain array).
    static func list(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        var docs = try matching(ctx, args)
        let descending = args.string("sortOrder") == "desc"
        switch args.string("sortBy") ?? "key" {
        case "key":
            let keyed = docs.map { (key: LocaleCollation.sortKey($0.fields.string("key") ?? ""), doc: $0) }
            docs = JavaScript.stableSorted(keyed) { a, b in
                descending ? b.key.lexicographicallyPrecedes(a.key) : a.key.lexicographicallyPrecedes(b.key)
            }.map(\.doc)
        case "updatedAt":
            let updated: (Document) -> Double = { $0.fields.number("updatedAt") ?? .nan }
            docs = JavaScript.stableSorted(docs) { descending ? updated($1) < updated($0) : updated($0) < updated($1) }
        default: break
        }
        let page = JavaScript.slice(JavaScript.slice(docs, start: args.number("offset") ?? 0), start: 0, end: args.number("limit", orDefault: 100))
        return .array(page.map(\.value))
    }

    /// The number of a namespace's records passing the filters.
    static func count(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        .double(Double(try matching(ctx, args).count))
    }
}
