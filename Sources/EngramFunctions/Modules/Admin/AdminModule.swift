import EngramCore
import EngramStorage

/// The `admin` module: raw table maintenance for the CLI (admin.md, 5 functions).
///
/// These bypass every domain rule, so they act on all tenants and need a caller that
/// is not bound to one; `clearTable` also needs a server that allows purges. Only the
/// 13 contract tables are reachable (``Tables/names``).
enum AdminModule {
    private static let table = ArgumentField.required("table", .literals(Tables.names))

    static let functions: [FunctionDeclaration] = [
        FunctionDeclaration(
            "admin:listTable", .query, arguments: [table, .optional("limit", .number)], handler: AdminTables.listTable),
        FunctionDeclaration(
            "admin:deleteRecord", .mutation, arguments: [table, .required("id", .id(Tables.names))],
            handler: AdminTables.deleteRecord),
        FunctionDeclaration(
            "admin:clearTable", .mutation, arguments: [table, .optional("limit", .number)],
            handler: AdminTables.clearTable),
        FunctionDeclaration("admin:countTable", .query, arguments: [table], handler: AdminTables.countTable),
        FunctionDeclaration("admin:getAllCounts", .query, arguments: [], handler: AdminTables.getAllCounts),
    ]
}

/// The `admin` handlers.
enum AdminTables {
    /// Counts are capped here ("10,000 means 10,000 or more").
    static let countCap = 10_000

    /// `min(limit ?? 1000, 1000)`, which must be a non-negative integer.
    static func effectiveLimit(_ args: ValueMap) throws -> Int {
        try JavaScript.takeCount(min(args.number("limit") ?? 1000, 1000))
    }

    static func listTable(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        try context.requireUnbound("admin:listTable")
        let limit = try effectiveLimit(args)
        guard limit > 0 else { return .array([]) }
        return .array(try context.database.scan(try args.requiredString("table"), limit: limit).map(\.value))
    }

    /// Deletes the document an id names, in whichever of the 13 tables and shards it lives.
    static func deleteRecord(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        try context.requireUnbound("admin:deleteRecord")
        let text = try args.requiredString("id")
        let id = try DocumentID(text)
        guard let table = Tables.all.first(where: { $0.tag == id.collectionTag })?.name else {
            throw EngramError(.internal, "validated id \(text) names no catalogue table")
        }
        try await context.database.shard(of: id).write(now: context.now) { scope in
            guard try scope.get(table, id) != nil else { throw EngramError.plain("Delete on nonexistent document ID \(text)") }
            try scope.delete(table, id)
        }
        return ["deleted": true]
    }

    /// Deletes the oldest `limit` documents, one transaction per shard they live in.
    static func clearTable(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        try context.requirePurgeAllowed(text: "PURGE_DISABLED_IN_PRODUCTION: clearTable is only available in test/dev environments.")
        try context.requireUnbound("admin:clearTable")
        let table = try args.requiredString("table")
        let limit = try effectiveLimit(args)
        var deleted = 0
        if limit > 0 {
            let db = context.database
            let byShard = Dictionary(grouping: try db.scan(table, limit: limit).map(\.id)) { db.router.shard(of: $0) }
            for (shard, ids) in byShard.sorted(by: { $0.key < $1.key }) {
                deleted += try await db.shards[shard].write(now: context.now) { scope in
                    var n = 0
                    for id in ids where try scope.get(table, id) != nil {
                        try scope.delete(table, id)
                        n += 1
                    }
                    return n
                }
            }
        }
        return ["deleted": .double(Double(deleted)), "hasMore": .bool(deleted == limit)]
    }

    static func countTable(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        try context.requireUnbound("admin:countTable")
        return ["count": .double(Double(try cappedCount(context.database, try args.requiredString("table"))))]
    }

    static func getAllCounts(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        try context.requireUnbound("admin:getAllCounts")
        var out = ValueMap()
        for name in Tables.names { out[name] = .double(Double(try cappedCount(context.database, name))) }
        return .map(out)
    }

    private static func cappedCount(_ database: Database, _ table: String) throws -> Int {
        min(try database.count(Query(table)), countCap)
    }
}
