#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EngramCore

/// The BM25 parameters of a text index.
public struct BM25Parameters: Sendable, Hashable {
    /// Term-frequency saturation (default 1.2).
    public var k1: Double
    /// Length normalisation, 0 (none) to 1 (full) (default 0.75).
    public var b: Double

    /// Parameters; the defaults are k1 = 1.2, b = 0.75.
    public init(k1: Double = 1.2, b: Double = 0.75) {
        self.k1 = k1
        self.b = b
    }

    /// Reads `k1` and `b` from index options (absent keys take their defaults). Throws
    /// `INVALID_ARGUMENT` unless 0 ≤ k1 ≤ 10 and 0 ≤ b ≤ 1.
    public init(decoding options: ValueMap, index: String) throws {
        self.init()
        if let v = options["k1"] {
            guard let k = v.doubleValue, k >= 0, k <= 10 else {
                throw EngramError(.invalidArgument, "text index '\(index)': k1 must be a number from 0 to 10")
            }
            k1 = k
        }
        if let v = options["b"] {
            guard let x = v.doubleValue, x >= 0, x <= 1 else {
                throw EngramError(.invalidArgument, "text index '\(index)': b must be a number from 0 to 1")
            }
            b = x
        }
    }
}

/// Collection-wide term statistics: the sums over every shard of the per-shard counts,
/// so that a score never depends on how documents are spread over shards.
public struct CorpusStatistics: Sendable, Equatable {
    /// Documents with indexed text (N).
    public var documents: UInt64 = 0
    /// Sum of the lengths (in terms) of those documents.
    public var totalLength: UInt64 = 0
    /// Documents containing each term (df).
    public var documentFrequency: [[UInt8]: UInt64] = [:]

    /// Empty statistics.
    public init() {}

    /// Mean document length; 1 for an empty corpus (never used to score then).
    public var averageLength: Double {
        documents == 0 ? 1 : Double(totalLength) / Double(documents)
    }
}

/// BM25 scoring, in the form used by Lucene (since version 8) and by bm25s' "lucene"
/// method:
///
///     score(d, q) = Σ over query terms t in d of  idf(t) · tf / (tf + k1 · (1 − b + b · dl / avgdl))
///     idf(t)      = ln(1 + (N − df + 0.5) / (df + 0.5))
///
/// tf is the term's count in d, dl the length of d in terms, avgdl the mean length and N
/// the number of documents, all collection-wide. The idf never goes negative. The
/// classic (k1 + 1) factor in the numerator is left out: it scales every score by the
/// same constant and changes no ranking.
struct BM25Scorer: Sendable {
    let k1: Double
    let b: Double
    let averageLength: Double

    init(_ parameters: BM25Parameters, statistics: CorpusStatistics) {
        k1 = parameters.k1
        b = parameters.b
        averageLength = statistics.averageLength
    }

    /// idf(t) for a term in `df` of `n` documents.
    static func idf(documentFrequency df: UInt64, documents n: UInt64) -> Double {
        log(1 + (Double(n) - Double(df) + 0.5) / (Double(df) + 0.5))
    }

    /// One term's contribution for a document. Increases with `tf` and decreases with
    /// `length`, so (largest tf, smallest length) of a block bounds every posting in it.
    @inline(__always)
    func score(idf: Double, tf: UInt32, length: UInt32) -> Double {
        let f = Double(tf)
        return idf * f / (f + k1 * (1 - b + b * Double(length) / averageLength))
    }
}
