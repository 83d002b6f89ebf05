import EngramCore
import EngramStorage

/// The `memorySpaces` registry (schema.md §1.7): its argument types and the two
/// lookups the contract uses. The table lives in the system shard, so every mutation
/// reads and writes it in one transaction there.
enum SpaceRecords {
    static let table = "memorySpaces"
    static let notFound = "MEMORYSPACE_NOT_FOUND"

    static let type: ArgumentType = .literals(["personal", "team", "project", "custom"])
    static let status: ArgumentType = .literals(["active", "archived"])
    static let participant: ArgumentType = .object([
        .required("id", .string), .required("type", .string), .required("joinedAt", .number),
    ])

    /// A space is global when its `tenantId` is absent or `""` (schema.md §0.11).
    static func isGlobal(_ fields: ValueMap) -> Bool {
        !JavaScript.isTruthy(fields["tenantId"])
    }

    /// The tenant-scoped lookup of `register`, `get` and `deleteSpace`: with a
    /// non-empty tenant, the first match of `by_tenant_memorySpaceId`; otherwise the
    /// oldest document with this id, only if it is global.
    static func scoped(_ reader: some TableReader, _ memorySpaceId: String, tenantId: String?) throws -> Document? {
        let id = Value.string(memorySpaceId)
        if let tenant = tenantId, !tenant.isEmpty {
            return try reader.first(table, index: "by_tenant_memorySpaceId", [.string(tenant), id])
        }
        guard let doc = try reader.first(table, index: "by_memorySpaceId", [id]), isGlobal(doc.fields) else { return nil }
        return doc
    }

    /// The lookup "first match in any tenant" — within the bound tenant for a
    /// tenant-bound caller.
    static func anyTenant(_ reader: some TableReader, _ memorySpaceId: String, _ context: FunctionContext) throws -> Document? {
        if let bound = context.boundTenant {
            return try reader.first(table, index: "by_tenant_memorySpaceId", [.string(bound), .string(memorySpaceId)])
        }
        return try reader.first(table, index: "by_memorySpaceId", [.string(memorySpaceId)])
    }

    /// Patches the space `memorySpaceId` (found in any tenant) with what `change`
    /// computes from its fields, in one transaction, and returns the whole document.
    /// Throws `MEMORYSPACE_NOT_FOUND`, or what `change` throws.
    static func patch(
        _ context: FunctionContext, _ memorySpaceId: String, _ change: @escaping @Sendable (ValueMap) throws -> Patch
    ) async throws -> Value {
        let doc = try await context.database.shards[0].write(now: context.now) { scope in
            guard let found = try anyTenant(scope, memorySpaceId, context) else { throw EngramError.coded(notFound) }
            return try scope.patch(table, found.id, try change(found.fields))
        }
        return doc.value
    }

    /// Whether some element of the space's `participants` has this `id`.
    static func hasParticipant(_ fields: ValueMap, _ id: Value?) -> Bool {
        guard let id else { return false }
        return (fields["participants"]?.arrayValue ?? []).contains { $0["id"] == id }
    }
}
