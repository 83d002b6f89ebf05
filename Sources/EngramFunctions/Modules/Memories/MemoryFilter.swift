import EngramCore
import EngramStorage

/// The simple filters of `list`, `count`, `search`, `deleteMany`, `updateMany` and
/// `exportMemories` (memories.md), as one storage predicate over a memory's fields.
///
/// Being a `Predicate`, the filter runs inside the scan (or an index), before any
/// limit, so pages are full (contract policy 3). The caller's tenant confinement is
/// part of it.
enum MemoryFilter {
    /// One filter a function applies, read from the argument of the same name.
    enum Condition {
        /// `userId` set (truthy): `userId = u`.
        case user
        /// `userId` set (truthy): `userId = u OR sourceUserId = u`.
        case userOrSourceUser
        /// `participantId` set (truthy; the SDK's extra on list and count): equality.
        case participant
        /// `sourceType` set: equality.
        case sourceType
        /// `tags` non-empty: the memory has at least one of them.
        case anyTag
        /// `minImportance` given: `importance ≥ n` with JavaScript's comparison (a NaN
        /// on either side never passes).
        case minImportance
    }

    /// The conjunction of `conditions` whose arguments are set in `args`, plus the
    /// caller's visibility; nil when nothing filters.
    static func predicate(_ context: FunctionContext, _ args: ValueMap, _ conditions: [Condition]) -> Predicate? {
        var parts: [Predicate] = conditions.compactMap { condition in
            switch condition {
            case .user:
                return args.setString("userId").map { .eq("userId", .string($0)) }
            case .userOrSourceUser:
                return args.setString("userId").map { .or([.eq("userId", .string($0)), .eq("sourceUserId", .string($0))]) }
            case .participant:
                return args.setString("participantId").map { .eq("participantId", .string($0)) }
            case .sourceType:
                return args.setString("sourceType").map { .eq("sourceType", .string($0)) }
            case .anyTag:
                guard let tags = args.array("tags"), !tags.isEmpty else { return nil }
                return .or(tags.map { .contains("tags", $0) })
            case .minImportance:
                // Engram's order puts NaN above every number and equal to itself; JavaScript's
                // `>=` is false whenever either side is NaN, so NaN importances are excluded.
                return args.number("minImportance").map {
                    .and([.ge("importance", .double($0)), .ne("importance", .double(.nan))])
                }
            }
        }
        if let visibility = context.visibility { parts.append(visibility) }
        switch parts.count {
        case 0: return nil
        case 1: return parts[0]
        default: return .and(parts)
        }
    }
}
