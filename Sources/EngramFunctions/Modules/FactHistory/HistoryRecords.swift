import EngramCore
import EngramStorage

/// The `factHistory` table (schema.md §1.6): argument types, tenant confinement and
/// the windowed reads its functions share.
///
/// Events are sharded by `memorySpaceId`. The table has no `tenantId`, and the contract
/// scopes nothing by tenant. A tenant-bound caller is confined to the events of the
/// memory spaces registered to its tenant (`memorySpaces.by_tenantId`): it reads,
/// counts and deletes only those, and may log events only into those spaces.
enum HistoryRecords {
    static let table = "factHistory"
    static let actions = ["CREATE", "UPDATE", "SUPERSEDE", "DELETE"]
    static let action: ArgumentType = .literals(actions)
    static let pipeline: ArgumentType = .object([
        .optional("slotMatching", .boolean), .optional("semanticMatching", .boolean), .optional("llmResolution", .boolean),
    ])

    /// The memory spaces a tenant-bound caller may reach (those registered to its
    /// tenant); nil for an unbound caller, who reaches every space.
    static func reachableSpaces(_ context: FunctionContext) throws -> Set<String>? {
        guard let bound = context.boundTenant else { return nil }
        let spaces = try context.database.shards[0].read {
            try $0.all(SpaceRecords.table, index: "by_tenantId", [.string(bound)])
        }
        return Set(spaces.compactMap { $0.fields["memorySpaceId"]?.stringValue })
    }

    /// The condition that confines a tenant-bound caller to its tenant's spaces; nil
    /// for an unbound caller.
    static func confinement(_ context: FunctionContext) throws -> Predicate? {
        try reachableSpaces(context).map { .isIn("memorySpaceId", $0.sorted().map { .string($0) }) }
    }

    /// Throws `FORBIDDEN` unless the caller may write events of `memorySpaceId`.
    static func requireWritable(_ context: FunctionContext, _ memorySpaceId: String) throws {
        guard let spaces = try reachableSpaces(context), !spaces.contains(memorySpaceId) else { return }
        throw EngramError(.forbidden, "memory space '\(memorySpaceId)' is not registered to this key's tenant")
    }

    /// The query over index `index` with its leading fields equal to `values`, the
    /// further `conditions`, and the caller's confinement.
    static func query(
        _ context: FunctionContext, index: String, _ values: [Value], _ conditions: [Predicate] = [], descending: Bool = false
    ) throws -> Query {
        var all = [Predicate.indexEquals(table: table, index: index, values)] + conditions
        if let confine = try confinement(context) { all.append(confine) }
        return Query(table, filter: .and(all), index: .named(index), descending: descending)
    }

    /// `matches.slice(start, end)` of the query's results. When the window is a plain
    /// prefix (non-negative integer bounds), only its documents are read.
    static func window(_ reader: some TableReader, _ query: Query, start: Double, end: Double?) throws -> [Document] {
        if let from = FactRecords.plainCount(start), let to = FactRecords.plainCount(end) {
            guard to > from else { return [] }
            var limited = query
            limited.limit = to
            return Array(try reader.query(limited).documents.dropFirst(from))
        }
        return JavaScript.slice(try reader.drain(query), start: start, end: end)
    }

    /// Deletes every document the query finds, one transaction per shard; returns how many.
    static func deleteAll(_ context: FunctionContext, _ query: Query) async throws -> Int {
        var deleted = 0
        for shard in try context.database.shards(for: query) {
            deleted += try await shard.write(now: context.now) { scope in
                let docs = try scope.drain(query)
                for doc in docs { try scope.delete(table, doc.id) }
                return docs.count
            }
        }
        return deleted
    }
}
