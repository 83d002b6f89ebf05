import EngramCore
import EngramStorage

/// The `memories` reads of documents: `get`, `list` and `count`. Archived and partial
/// memories are ordinary memories here; nothing tracks access.
enum MemoryQueries {
    private typealias R = MemoryRecords

    /// The filters of `list` and `count`: `userId` (not `sourceUserId`), the SDK's
    /// `participantId`, and `sourceType`.
    private static let listFilters: [MemoryFilter.Condition] = [.user, .participant, .sourceType]

    /// The memory, or null when missing or of another space.
    static func get(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        guard let doc = try R.find(context, try args.requiredString("memoryId")),
            R.belongs(doc, to: try args.requiredString("memorySpaceId"))
        else { return .null }
        return doc.value
    }

    /// The newest memories of the space that pass the filters, newest `_creationTime`
    /// first, at most `limit` (100 when not set). The filters run before the limit, so
    /// the page is full whenever enough memories match. A negative or fractional limit
    /// fails with the platform's `take` error.
    static func list(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let limit = try JavaScript.takeCount(args.number("limit", orDefault: 100))
        let filter = MemoryFilter.predicate(context, args, listFilters)
        let query = R.spaceQuery(try args.requiredString("memorySpaceId"), where: filter, descending: true, limit: limit)
        return .array(try context.database.query(query).documents.map(\.value))
    }

    /// The number of the space's memories that pass the filters.
    static func count(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let filter = MemoryFilter.predicate(context, args, listFilters)
        let query = R.spaceQuery(try args.requiredString("memorySpaceId"), where: filter)
        return .double(Double(try context.database.count(query)))
    }
}
