/// Stop-word lists: words an index leaves out of documents and queries.
public enum StopWords {
    /// Lucene's English stop words (the `EnglishAnalyzer` default): 33 words.
    public static let english: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
        "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
    ]
}
