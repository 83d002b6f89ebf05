import EngramCore
import EngramStorage
import EngramText
import EngramVector

/// A search ranked by both a vector index and a text index of the same collection:
/// see ``Database/hybridSearch(_:)``.
public struct HybridQuery: Sendable {
    /// The vector half; its `limit` is how many vector candidates are fused.
    public var vector: VectorQuery
    /// The text half; its `limit` is how many text candidates are fused.
    public var text: TextQuery
    /// How the two rankings combine (default: reciprocal rank fusion, k = 60).
    public var fusion: HybridFusion
    /// The most results returned.
    public var limit: Int

    /// A hybrid search fusing `vector` and `text` with `fusion`, keeping `limit` results.
    public init(vector: VectorQuery, text: TextQuery, fusion: HybridFusion = .standard, limit: Int = 10) {
        self.vector = vector
        self.text = text
        self.fusion = fusion
        self.limit = limit
    }
}

/// One hybrid result: the document, its fused score and the parts it came from.
public struct HybridHit: Sendable {
    /// The document.
    public let document: Document
    /// The fused score (higher is better).
    public let score: Double
    /// Its similarity in the vector ranking and its 1-based rank there, if it was a candidate.
    public let vectorScore: Double?
    public let vectorRank: Int?
    /// Its BM25 score in the text ranking and its 1-based rank there, if it was a candidate.
    public let textScore: Double?
    public let textRank: Int?
}

extension Database {
    /// Runs both halves of `query` (each with its own filter, applied exactly before its
    /// limit) and fuses their rankings with `query.fusion`; best first, ties newer
    /// document first, at most `query.limit`.
    ///
    /// Throws what ``vectorSearch(_:)`` and ``textSearch(_:)`` throw, `INVALID_ARGUMENT`
    /// for the two halves naming different collections, a limit below 1, or fusion
    /// parameters out of range.
    public func hybridSearch(_ query: HybridQuery) throws -> [HybridHit] {
        guard query.vector.collection == query.text.collection else {
            throw EngramError(.invalidArgument, "a hybrid search needs both halves on one collection")
        }
        guard query.limit >= 1 else { throw EngramError(.invalidArgument, "limit must be at least 1, got \(query.limit)") }
        let vectorHits = try vectorSearch(query.vector)
        let textHits = try textSearch(query.text)
        var documents: [DocumentID: Document] = [:]
        for hit in vectorHits { documents[hit.document.id] = hit.document }
        for hit in textHits { documents[hit.document.id] = hit.document }
        let fused = try query.fusion.fuse(
            vector: vectorHits.map { ScoredID(id: $0.document.id, score: Double($0.score)) },
            text: textHits.map { ScoredID(id: $0.document.id, score: $0.score) }, limit: query.limit)
        return fused.compactMap { hit in
            documents[hit.id].map {
                HybridHit(
                    document: $0, score: hit.score, vectorScore: hit.vectorScore, vectorRank: hit.vectorRank,
                    textScore: hit.textScore, textRank: hit.textRank)
            }
        }
    }
}
