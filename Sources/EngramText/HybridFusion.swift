import EngramCore

/// Fuses a vector ranking and a text ranking of the same collection into one.
///
/// Pure and deterministic: the result depends only on the two lists. Each input list is
/// best first; an id repeated within a list counts at its first (best) place. Ranks are
/// 1-based. Results are ordered by fused score, highest first; equal fused scores put
/// the higher (newer) ``DocumentID`` first.
public enum HybridFusion: Sendable, Hashable {
    /// Reciprocal rank fusion: fused = Σ over the lists holding the document of
    /// 1 / (k + rank). Ignores the scores' scales. k = 60 is the usual choice.
    case reciprocalRank(k: Double = 60)
    /// Weighted normalised scores: each list's scores are min-max normalised to [0, 1]
    /// (all equal → 1), and fused = alpha · vector + (1 − alpha) · text, a list lacking
    /// the document contributing 0. alpha = 1 is vector only, 0 text only.
    case weighted(alpha: Double)

    /// The default: reciprocal rank fusion with k = 60.
    public static let standard = HybridFusion.reciprocalRank(k: 60)

    /// One fused result, with the parts it came from.
    public struct Hit: Sendable, Hashable {
        /// The document.
        public let id: DocumentID
        /// The fused score.
        public let score: Double
        /// Its score in the vector list, or nil if absent there.
        public let vectorScore: Double?
        /// Its 1-based rank in the vector list, or nil.
        public let vectorRank: Int?
        /// Its score in the text list, or nil if absent there.
        public let textScore: Double?
        /// Its 1-based rank in the text list, or nil.
        public let textRank: Int?
    }

    /// Fuses `vector` and `text` (each best first) and keeps the best `limit` (all when nil).
    /// Throws `INVALID_ARGUMENT` for k ≤ 0, alpha outside [0, 1], a non-finite score or a
    /// negative limit.
    public func fuse(vector: [ScoredID], text: [ScoredID], limit: Int? = nil) throws -> [Hit] {
        switch self {
        case .reciprocalRank(let k):
            guard k > 0, k.isFinite else { throw EngramError(.invalidArgument, "reciprocal rank fusion needs k > 0, got \(k)") }
        case .weighted(let alpha):
            guard alpha >= 0, alpha <= 1 else { throw EngramError(.invalidArgument, "alpha must be 0 to 1, got \(alpha)") }
        }
        if let limit, limit < 0 { throw EngramError(.invalidArgument, "limit must not be negative, got \(limit)") }
        guard (vector + text).allSatisfy({ $0.score.isFinite }) else {
            throw EngramError(.invalidArgument, "hybrid fusion needs finite scores")
        }
        let v = Self.ranked(vector), t = Self.ranked(text)
        let vNorm = Self.normaliser(vector), tNorm = Self.normaliser(text)
        var ids = Set(v.keys)
        ids.formUnion(t.keys)
        var hits: [Hit] = ids.map { id in
            let a = v[id], b = t[id]
            let fused: Double
            switch self {
            case .reciprocalRank(let k):
                fused = (a.map { 1 / (k + Double($0.rank)) } ?? 0) + (b.map { 1 / (k + Double($0.rank)) } ?? 0)
            case .weighted(let alpha):
                fused = alpha * (a.map { vNorm($0.score) } ?? 0) + (1 - alpha) * (b.map { tNorm($0.score) } ?? 0)
            }
            return Hit(id: id, score: fused, vectorScore: a?.score, vectorRank: a?.rank, textScore: b?.score, textRank: b?.rank)
        }
        hits.sort { $0.score > $1.score || ($0.score == $1.score && $1.id < $0.id) }
        if let limit, hits.count > limit { hits.removeLast(hits.count - limit) }
        return hits
    }

    /// Each id's first rank (1-based) and score.
    private static func ranked(_ list: [ScoredID]) -> [DocumentID: (rank: Int, score: Double)] {
        var out: [DocumentID: (rank: Int, score: Double)] = [:]
        for (i, s) in list.enumerated() where out[s.id] == nil { out[s.id] = (i + 1, s.score) }
        return out
    }

    /// Min-max normalisation over a list's scores (all equal → 1).
    private static func normaliser(_ list: [ScoredID]) -> (Double) -> Double {
        guard let lo = list.map(\.score).min(), let hi = list.map(\.score).max(), hi > lo else { return { _ in 1 } }
        return { ($0 - lo) / (hi - lo) }
    }
}
