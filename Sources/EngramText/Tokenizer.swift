import EngramCore

/// How a text index cuts text into terms. Stored in the index declaration's options
/// (see ``encoded``), so documents and queries are always cut the same way.
public struct TokenizerOptions: Sendable, Hashable {
    /// Which scalars end a word.
    public var splitting: WordSplitting
    /// Remove diacritics (`café` → `cafe`); case is always folded.
    public var foldDiacritics: Bool
    /// Reduce English words to their Snowball stem (`running` → `run`).
    public var stemming: Bool
    /// Words left out of documents and queries (compared after folding, before stemming).
    public var stopWords: Set<String>
    /// Longest term, in Unicode scalars after folding; longer words are cut to this length.
    public var maxTermLength: Int

    /// Longest allowed ``maxTermLength``: keeps every postings key far below LMDB's limit.
    public static let maxTermLengthLimit = 64

    /// Options; the defaults are Unicode words, diacritics folded, no stemming, no stop
    /// words, terms of at most 64 scalars.
    public init(
        splitting: WordSplitting = .unicodeWords, foldDiacritics: Bool = true, stemming: Bool = false,
        stopWords: Set<String> = [], maxTermLength: Int = 64
    ) {
        self.splitting = splitting
        self.foldDiacritics = foldDiacritics
        self.stemming = stemming
        self.stopWords = stopWords
        self.maxTermLength = maxTermLength
    }

    /// English prose: Unicode words, diacritics folded, Snowball stemming, Lucene's stop words.
    public static let english = TokenizerOptions(stemming: true, stopWords: StopWords.english)

    /// The matching rule of the catalogue's search indexes (the reference's Tantivy
    /// "simple" tokenizer with lower-casing): split at every non-alphanumeric scalar,
    /// lower-case, no diacritic folding, stemming or stop words, terms cut at 32 scalars.
    public static let catalogue = TokenizerOptions(
        splitting: .alphanumeric, foldDiacritics: false, stemming: false, stopWords: [], maxTermLength: 32)

    /// The options as stored in an index declaration.
    public var encoded: ValueMap {
        [
            "splitting": .string(splitting.rawValue), "foldDiacritics": .bool(foldDiacritics), "stemming": .bool(stemming),
            "stopWords": .array(stopWords.sorted().map { .string($0) }), "maxTermLength": .int(Int64(maxTermLength)),
        ]
    }

    /// Reads options stored by ``encoded``; absent keys take their defaults. Throws
    /// `INVALID_ARGUMENT` for a value of the wrong type or out of range.
    public init(decoding options: ValueMap, index: String) throws {
        self.init()
        if let v = options["splitting"] {
            guard let s = v.stringValue, let parsed = WordSplitting(rawValue: s) else {
                throw EngramError(.invalidArgument, "text index '\(index)': splitting must be \"unicodeWords\" or \"alphanumeric\"")
            }
            splitting = parsed
        }
        if let v = options["foldDiacritics"] {
            guard let b = v.boolValue else { throw EngramError(.invalidArgument, "text index '\(index)': foldDiacritics must be a boolean") }
            foldDiacritics = b
        }
        if let v = options["stemming"] {
            guard let b = v.boolValue else { throw EngramError(.invalidArgument, "text index '\(index)': stemming must be a boolean") }
            stemming = b
        }
        if let v = options["stopWords"] {
            guard let words = v.arrayValue?.compactMap(\.stringValue), words.count == v.arrayValue?.count else {
                throw EngramError(.invalidArgument, "text index '\(index)': stopWords must be an array of strings")
            }
            stopWords = Set(words)
        }
        if let v = options["maxTermLength"] {
            guard let n = v.int64Value, (1...Int64(Self.maxTermLengthLimit)).contains(n) else {
                throw EngramError(
                    .invalidArgument, "text index '\(index)': maxTermLength must be an integer from 1 to \(Self.maxTermLengthLimit)")
            }
            maxTermLength = Int(n)
        }
    }
}

/// Cuts text into index terms: words (``WordBreaker``), folded (``CharacterFolding``),
/// cut to the longest term length, stop words removed, optionally stemmed
/// (``EnglishStemmer``). Terms are UTF-8 bytes and never contain a 0x00 byte.
///
/// The same tokenizer runs over documents at index time and over queries at search
/// time, so a query term matches exactly the documents whose text yields that term.
public struct Tokenizer: Sendable {
    /// The options this tokenizer applies.
    public let options: TokenizerOptions
    private let folding: CharacterFolding
    private let stopWords: Set<[UInt8]>

    /// A tokenizer for `options`.
    public init(_ options: TokenizerOptions = TokenizerOptions()) {
        self.options = options
        self.folding = CharacterFolding(foldDiacritics: options.foldDiacritics)
        self.stopWords = Set(options.stopWords.map { Self.fold($0, options) })
    }

    /// The terms of `text`, in order (repeated terms repeated).
    public func terms(_ text: String) -> [[UInt8]] {
        var out: [[UInt8]] = []
        forEachTerm(text) { out.append($0) }
        return out
    }

    /// The terms of `text` as strings, in order (for display and tests).
    public func termStrings(_ text: String) -> [String] {
        terms(text).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with each term of `text`, in order.
    public func forEachTerm(_ text: String, _ body: ([UInt8]) -> Void) {
        WordBreaker.forEachWord(in: text, splitting: options.splitting) { word in
            var term: [UInt8] = []
            term.reserveCapacity(word.count + 4)
            var length = 0
            for scalar in word {
                let before = term.count
                let added = folding.append(scalar, to: &term)
                if length + added > options.maxTermLength {
                    // Keep only the scalars that fit: cut the UTF-8 of this fold back.
                    term.removeSubrange(before...)
                    break
                }
                length += added
            }
            if term.isEmpty || stopWords.contains(term) { return }
            body(options.stemming ? EnglishStemmer.stem(term) : term)
        }
    }

    /// A word folded as the tokenizer folds document text (for stop-word lists).
    private static func fold(_ word: String, _ options: TokenizerOptions) -> [UInt8] {
        let folding = CharacterFolding(foldDiacritics: options.foldDiacritics)
        var out: [UInt8] = []
        for s in word.unicodeScalars { _ = folding.append(s, to: &out) }
        return out
    }
}
