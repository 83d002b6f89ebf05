import EngramCore
import EngramStorage

/// Index lookups with an extra condition, applied before the limit (so "the first
/// match that also satisfies X" is exact, over one shard or fanned out).
extension TableReader {
    /// The first (oldest) document of the index lookup that satisfies `condition`.
    public func first(_ table: String, index: String, _ values: [Value], where condition: Predicate?) throws -> Document? {
        try query(Self.lookup(table, index: index, values, condition, limit: 1)).documents.first
    }

    /// Every document of the index lookup that satisfies `condition`, in index order.
    public func all(_ table: String, index: String, _ values: [Value], where condition: Predicate?) throws -> [Document] {
        try drain(Self.lookup(table, index: index, values, condition, limit: nil))
    }

    /// Every document of `table` that satisfies `condition`, in creation order.
    public func scan(_ table: String, where condition: Predicate?) throws -> [Document] {
        try drain(Query(table, filter: condition, index: .creationOrder))
    }

    private static func lookup(_ table: String, index: String, _ values: [Value], _ condition: Predicate?, limit: Int?) -> Query {
        Query(
            table, filter: .both(.indexEquals(table: table, index: index, values), condition), index: .named(index),
            limit: limit)
    }
}
