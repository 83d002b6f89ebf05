import EngramCore

/// A request for documents of one collection: which, in what order, how many.
///
/// Filters apply before the limit, so a page holds `limit` matching documents unless
/// the collection runs out. Results are ordered by the chosen index (its fields, then
/// `_creationTime`, then `_id`), by creation time, or by ``sort``. A page's
/// ``QueryPage/cursor`` resumes right after its last document, also after writes.
public struct Query: Sendable, Hashable {
    /// Which access path to use.
    public enum IndexChoice: Sendable, Hashable {
        /// The planner picks: the index with the longest equality prefix (plus a range
        /// on the next field), or one that yields the requested sort order.
        case automatic
        /// Every document in creation order (the implicit `_creationTime` index).
        case creationOrder
        /// The named secondary index; conditions on its leading fields bound the scan.
        case named(String)
    }

    /// One key of an explicit sort.
    public struct SortField: Sendable, Hashable {
        public var path: FieldPath
        public var descending: Bool
        public init(_ path: FieldPath, descending: Bool = false) {
            self.path = path
            self.descending = descending
        }
    }

    /// The collection queried.
    public var collection: String
    /// Documents must satisfy this (nil: all).
    public var filter: Predicate?
    /// Access path.
    public var index: IndexChoice
    /// Scan the index (or creation order) from its end.
    public var descending: Bool
    /// Explicit order; when no index yields it, matches are sorted in memory
    /// (ties by `_creationTime` and `_id`, in the direction of the last key).
    public var sort: [SortField]
    /// Most documents per page (nil: all).
    public var limit: Int?
    /// Resume after the page that returned this cursor.
    public var cursor: String?

    /// A query.
    public init(
        _ collection: String, filter: Predicate? = nil, index: IndexChoice = .automatic, descending: Bool = false,
        sort: [SortField] = [], limit: Int? = nil, cursor: String? = nil
    ) {
        self.collection = collection
        self.filter = filter
        self.index = index
        self.descending = descending
        self.sort = sort
        self.limit = limit
        self.cursor = cursor
    }

    /// A stable fingerprint of everything but limit and cursor: a cursor is only
    /// accepted by the query that issued it.
    var fingerprint: UInt64 {
        let indexValue: Value
        switch index {
        case .automatic: indexValue = "auto"
        case .creationOrder: indexValue = "creation"
        case .named(let n): indexValue = .string(n)
        }
        let shape: Value = [
            .string(collection), filter?.encoded ?? .null, indexValue, .bool(descending),
            .array(sort.map { [.string($0.path.description), .bool($0.descending)] }),
        ]
        return StableHash.hash64(MessagePack.encode(shape))
    }
}

/// One page of query results.
public struct QueryPage: Sendable, Equatable {
    /// The matching documents, in order.
    public var documents: [Document]
    /// Resumes after the last document; nil when there are no more.
    public var cursor: String?

    public init(documents: [Document], cursor: String?) {
        self.documents = documents
        self.cursor = cursor
    }
}
