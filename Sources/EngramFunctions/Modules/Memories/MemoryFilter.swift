import EngramCore
import EngramStorage

/// The simple filters of `list`, `count`, `search`, `deleteMany`, `updateMany` and
/// `exportMemories` (memories.md), as one storage predicate over a memory's fields.
///
/// Each function declares only the filter arguments it takes, so one builder serves
/// them all: an argument that is not declared is never present. Being a `Predicate`,
/// the filter runs inside the scan (or an index), before any limit, so pages are full
/// (contract policy 3). The caller's tenant confinement is part of it.
enum MemoryFilter {
    /// The conjunction of the filters set in `args`, plus the caller's visibility:
    /// - `userId` set (truthy): `userId = u`, or with `userAlsoMatchesSource` (search,
    ///   deleteMany, exportMemories) `userId = u OR sourceUserId = u`;
    /// - `participantId` set (truthy, the SDK's list/count extra): equality;
    /// - `sourceType` set: equality;
    /// - `tags` non-empty: the memory has at least one of them;
    /// - `minImportance` given: `importance ≥ n` with JavaScript's comparison (a NaN
    ///   on either side never passes).
    /// Nil when nothing filters (an unbound caller and no filter arguments).
    static func predicate(_ context: FunctionContext, _ args: ValueMap, userAlsoMatchesSource: Bool) -> Predicate? {
        var parts: [Predicate] = []
        if let user = args.setString("userId") {
            let owner = Predicate.eq("userId", .string(user))
            parts.append(userAlsoMatchesSource ? .or([owner, .eq("sourceUserId", .string(user))]) : owner)
        }
        for key in ["participantId", "sourceType"] {
            if let value = args.setString(key) { parts.append(.eq(FieldPath([key]), .string(value))) }
        }
        if let tags = args.array("tags"), !tags.isEmpty {
            parts.append(.or(tags.map { .contains("tags", $0) }))
        }
        if let minimum = args.number("minImportance") {
            // Engram's order puts NaN above every number and equal to itself; JavaScript's
            // `>=` is false whenever either side is NaN, so NaN importances are excluded.
            parts.append(.and([.ge("importance", .double(minimum)), .ne("importance", .double(.nan))]))
        }
        if let visibility = context.visibility { parts.append(visibility) }
        switch parts.count {
        case 0: return nil
        case 1: return parts[0]
        default: return .and(parts)
        }
    }
}
