import EngramCore

/// The contract's similarity score for `memories:search` (memories.md, search step 3),
/// independent of how candidates are found: whatever index serves the search, the
/// scores it returns are these, so clients that sort or threshold on `_score` see the
/// reference's values.
enum MemorySimilarity {
    /// The stored embedding as numbers (a non-number element becomes NaN, which
    /// JavaScript's arithmetic would give), or nil when the memory has none or it is
    /// empty. A float32 vector value is read as its float64 values.
    static func embedding(_ value: Value?) -> [Double]? {
        let numbers: [Double]
        switch value {
        case .array(let items)?: numbers = items.map { $0.doubleValue ?? .nan }
        case .vector(let items)?: numbers = items.map(Double.init)
        default: return nil
        }
        return numbers.isEmpty ? nil : numbers
    }

    /// Cosine similarity computed as the reference computes it, in float64, summing
    /// left to right: `dot(q, m) / (√Σq² · √Σm²)`, and 0 when that denominator is 0.
    /// - Precondition: equal lengths (callers skip embeddings of another length).
    static func cosine(_ q: [Double], _ m: [Double]) -> Double {
        var dot = 0.0, qq = 0.0, mm = 0.0
        for i in q.indices {
            dot += q[i] * m[i]
            qq += q[i] * q[i]
            mm += m[i] * m[i]
        }
        let denominator = qq.squareRoot() * mm.squareRoot()
        return denominator == 0 ? 0 : dot / denominator
    }

    /// The score of a memory whose embedding is `m` for the query `q`: the cosine, or
    /// nil when the memory is not a candidate (different length, or a NaN or negative
    /// score; a score of exactly 0 is kept).
    static func score(_ q: [Double], _ m: [Double]) -> Double? {
        guard m.count == q.count else { return nil }
        let s = cosine(q, m)
        return s.isNaN || s < 0 ? nil : s
    }
}
