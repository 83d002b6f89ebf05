import EngramCore
import EngramStorage

/// A keyword search over one text index.
///
/// Semantics (documented in the TextSearch article):
/// - the text is cut into terms by the index's own tokenizer; repeated terms count
///   once; only the first ``maxTerms`` distinct terms are used;
/// - a document matches when it contains ANY term (OR); with ``prefixLastTerm`` the last
///   term also matches every indexed term it is a prefix of (the first
///   ``maxPrefixExpansions`` in byte order), scored as the best of them;
/// - a query without terms matches nothing;
/// - ``filter`` is applied exactly, before the limit; it may name the index's filter
///   fields only; an equality (or `IN`) on the first filter field selects the postings
///   partitions that are read;
/// - results are ordered by BM25 score, highest first; equal scores put the newer
///   document (higher `DocumentID`) first.
public struct TextQuery: Sendable, Hashable {
    /// The collection searched.
    public var collection: String
    /// The name of a `"text"` index of the collection.
    public var index: String
    /// The query text.
    public var text: String
    /// Condition on the index's filter fields, applied exactly before the limit.
    public var filter: Predicate?
    /// Most results, 1 to ``maxLimit``.
    public var limit: Int
    /// Let the last term match as a prefix (typeahead).
    public var prefixLastTerm: Bool
    /// Most distinct query terms used, 1 to ``maxTermsLimit``; later terms are ignored.
    public var maxTerms: Int
    /// Most indexed terms the last term expands to with ``prefixLastTerm``, 1 to 1024.
    public var maxPrefixExpansions: Int
    /// Skip documents that cannot reach the top results (MaxScore with block bounds).
    /// False scores every posting; the results are the same. For measurement.
    public var pruning: Bool

    /// Largest ``limit``.
    public static let maxLimit = 10_000
    /// Largest ``maxTerms``.
    public static let maxTermsLimit = 256

    /// A query; see the type's documentation for the semantics.
    public init(
        collection: String, index: String, text: String, filter: Predicate? = nil, limit: Int, prefixLastTerm: Bool = false,
        maxTerms: Int = 16, maxPrefixExpansions: Int = 64, pruning: Bool = true
    ) {
        self.collection = collection
        self.index = index
        self.text = text
        self.filter = filter
        self.limit = limit
        self.prefixLastTerm = prefixLastTerm
        self.maxTerms = maxTerms
        self.maxPrefixExpansions = maxPrefixExpansions
        self.pruning = pruning
    }

    /// Throws `INVALID_ARGUMENT` for a limit or bound out of range.
    func validate() throws {
        guard (1...Self.maxLimit).contains(limit) else {
            throw EngramError(.invalidArgument, "text search limit must be 1 to \(Self.maxLimit), got \(limit)")
        }
        guard (1...Self.maxTermsLimit).contains(maxTerms) else {
            throw EngramError(.invalidArgument, "text search maxTerms must be 1 to \(Self.maxTermsLimit), got \(maxTerms)")
        }
        guard (1...1024).contains(maxPrefixExpansions) else {
            throw EngramError(.invalidArgument, "text search maxPrefixExpansions must be 1 to 1024, got \(maxPrefixExpansions)")
        }
    }
}

/// One search result: the document and its BM25 score.
public struct TextHit: Sendable, Equatable {
    /// The matching document.
    public let document: Document
    /// Its BM25 score (collection-wide statistics; independent of the shard count).
    public let score: Double
}

/// A document id with a score, best first in a ranked list: what ``Database/textSearchIDs(_:)``
/// returns and what ``HybridFusion`` takes.
public struct ScoredID: Sendable, Hashable {
    /// The document.
    public let id: DocumentID
    /// Its score in the list (higher is better).
    public let score: Double

    /// A scored id.
    public init(id: DocumentID, score: Double) {
        self.id = id
        self.score = score
    }
}
