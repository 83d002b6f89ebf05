import EngramCore
import EngramStorage

/// A nearest-neighbour search over a vector index: see ``Database/vectorSearch(_:)``.
public struct VectorQuery: Sendable {
    /// The collection searched.
    public var collection: String
    /// The vector index of the collection.
    public var index: String
    /// The query vector; it must have the dimension of the vectors it should match.
    public var vector: [Float]
    /// The most results returned, 1 to ``maxLimit``.
    public var limit: Int
    /// The values of the index's partition fields, in declaration order; empty searches
    /// every partition of the query's dimension.
    public var partition: [Value]
    /// A condition on the index's filter fields (and `_id`, `_creationTime`), applied
    /// exactly, before the limit.
    public var filter: Predicate?
    /// The HNSW search breadth; nil uses the index's, or adapts it to ``limit``.
    public var ef: Int?
    /// True: scan every vector (exact results) even where a graph exists.
    public var exact: Bool

    /// The largest ``limit`` accepted.
    public static let maxLimit = 100_000

    /// A search of `index` in `collection` for the `limit` vectors nearest `vector`.
    public init(
        collection: String, index: String, vector: [Float], limit: Int = 10, partition: [Value] = [],
        filter: Predicate? = nil, ef: Int? = nil, exact: Bool = false
    ) {
        self.collection = collection
        self.index = index
        self.vector = vector
        self.limit = limit
        self.partition = partition
        self.filter = filter
        self.ef = ef
        self.exact = exact
    }
}

/// One search result: a document and its similarity to the query (see ``VectorMetric``).
public struct VectorHit: Sendable {
    /// The matching document, as of the search's snapshot.
    public let document: Document
    /// The similarity, higher is nearer: cosine similarity, inner product, or negated
    /// squared Euclidean distance.
    public let score: Float
}
