import EngramCore
import EngramStorage

/// The lookups the contract describes ("first match of index X", "every document of
/// index X with these values", "full table scan"), over one shard or the whole database.
///
/// An index lookup binds the leading fields of the named index to `values` by
/// equality (so it never matches a document whose field is absent, schema.md §0.4) and
/// returns documents in index order: index fields, then `_creationTime`, then `_id`.
/// "First" is the oldest match. Over the whole ``Database`` the lookup touches one
/// shard when the bound values include the table's shard key, else every shard.
public protocol TableReader {
    /// One page of a query.
    func query(_ query: Query) throws -> QueryPage
    /// Every document of a query, in order.
    func drain(_ query: Query) throws -> [Document]
}

extension ReadScope: TableReader {
    /// Every document of `query`, read in one pass.
    public func drain(_ query: Query) throws -> [Document] {
        var q = query
        q.limit = nil
        return try self.query(q).documents
    }
}

extension Database: TableReader {
    /// Every document of `query`, each shard read once and merged.
    public func drain(_ query: Query) throws -> [Document] { try queryAll(query) }
}

extension TableReader {
    /// The query for index `index` of `table` with its leading fields equal to `values`.
    public static func indexQuery(_ table: String, index: String, _ values: [Value], descending: Bool = false, limit: Int? = nil) -> Query {
        Query(table, filter: .indexEquals(table: table, index: index, values), index: .named(index), descending: descending, limit: limit)
    }

    /// The first (oldest, or newest with `descending`) document matching the index lookup.
    public func first(_ table: String, index: String, _ values: [Value], descending: Bool = false) throws -> Document? {
        try query(Self.indexQuery(table, index: index, values, descending: descending, limit: 1)).documents.first
    }

    /// Every document matching the index lookup, in index order.
    public func all(_ table: String, index: String, _ values: [Value], descending: Bool = false) throws -> [Document] {
        try drain(Self.indexQuery(table, index: index, values, descending: descending))
    }

    /// Every document of `table` in creation order (oldest first unless `descending`).
    public func scan(_ table: String, descending: Bool = false) throws -> [Document] {
        try drain(Query(table, index: .creationOrder, descending: descending))
    }

    /// Up to `limit` documents of `table` in creation order.
    public func scan(_ table: String, limit: Int, descending: Bool = false) throws -> [Document] {
        try query(Query(table, index: .creationOrder, descending: descending, limit: limit)).documents
    }
}

extension Predicate {
    /// Equality on the leading fields of a catalogue table's index.
    /// - Precondition: the index exists on the table in ``Tables`` and has at least
    ///   `values.count` fields (a programming error otherwise).
    public static func indexEquals(table: String, index: String, _ values: [Value]) -> Predicate {
        guard let schema = Tables.all.first(where: { $0.name == table }), let ix = schema.index(named: index),
            ix.fields.count >= values.count
        else { preconditionFailure("no index \(table).\(index) with \(values.count) fields") }
        return .and(zip(ix.fields, values).map { .eq($0, $1) })
    }
}

extension Database {
    /// The shard a new document of `table` goes to: the system shard, the shard of its
    /// shard-key value, or (for tables placed by id, or without the key) shard 0.
    public func home(of table: String, shardKey: Value?) throws -> Shard {
        let schema = try self.schema(of: table)
        switch schema.placement {
        case .system, .byID: return shards[0]
        case .shardKey: return shardKey.map { shard(forShardKey: $0) } ?? shards[0]
        }
    }
}
