import EngramCore
import EngramStorage
import EngramText
import Foundation

/// The query predicate (Foundation has a type of the same name).
typealias Predicate = EngramStorage.Predicate

/// A database in a fresh temporary directory with the text index kind registered,
/// removed when the test is done.
final class TextTestDatabase {
    let path: String
    let db: Database

    init(schema: [CollectionSchema], shards: Int = 2) throws {
        path = NSTemporaryDirectory() + "engram-text-\(UUID().uuidString)"
        var options = StorageOptions()
        options.shardCount = shards
        options.environment.durable = false
        options.indexFactories = [TextIndex.factory]
        db = try Database.open(at: path, schema: schema, options: options)
    }

    func destroy() async {
        await db.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` with a fresh database and always destroys it.
func withTextDatabase(
    _ schema: [CollectionSchema], shards: Int = 2, _ body: (Database) async throws -> Void
) async throws {
    let t = try TextTestDatabase(schema: schema, shards: shards)
    do {
        try await body(t.db)
    } catch {
        await t.destroy()
        throw error
    }
    await t.destroy()
}

/// The notes collection most tests use: text `body`, filter fields `space` then `kind`.
func notesSchema(tokenizer: TokenizerOptions = TokenizerOptions(), placement: Placement = .shardKey("space")) -> CollectionSchema {
    CollectionSchema(
        name: "notes", placement: placement,
        indexes: [TextIndex.definition("by_body", text: "body", filters: ["space", "kind"], tokenizer: tokenizer)])
}

func search(
    _ db: Database, _ text: String, filter: Predicate? = nil, limit: Int = 100, prefix: Bool = false, pruning: Bool = true
) throws -> [TextHit] {
    try db.textSearch(
        TextQuery(
            collection: "notes", index: "by_body", text: text, filter: filter, limit: limit, prefixLastTerm: prefix,
            pruning: pruning))
}

extension TextHit {
    var body: String { document.fields["body"]?.stringValue ?? "" }
}

/// A plain reference BM25 (Lucene form) over in-memory documents, for checking the index.
struct ReferenceBM25 {
    let tokenizer: Tokenizer
    let docs: [(id: DocumentID, terms: [[UInt8]], fields: ValueMap)]

    func ranked(_ query: String, filter: (ValueMap) -> Bool, prefixLast: Bool = false, k1: Double = 1.2, b: Double = 0.75)
        -> [(id: DocumentID, score: Double)]
    {
        var qterms: [[UInt8]] = []
        for t in tokenizer.terms(query) where !qterms.contains(t) { qterms.append(t) }
        guard !qterms.isEmpty, !docs.isEmpty else { return [] }
        let n = Double(docs.count)
        let avg = Double(docs.reduce(0) { $0 + $1.terms.count }) / n
        var groups = qterms.map { [$0] }
        if prefixLast, let last = qterms.last {
            let vocab = Set(docs.flatMap(\.terms))
            groups[groups.count - 1] = vocab.filter { $0.starts(with: last) && !qterms.dropLast().contains($0) }
                .sorted { $0.lexicographicallyPrecedes($1) }
        }
        func idf(_ t: [UInt8]) -> Double {
            let df = Double(docs.filter { $0.terms.contains(t) }.count)
            return log(1 + (n - df + 0.5) / (df + 0.5))
        }
        var out: [(id: DocumentID, score: Double)] = []
        for d in docs where filter(d.fields) {
            var score = 0.0
            var matched = false
            for g in groups {
                var best = 0.0
                for t in g {
                    let tf = Double(d.terms.filter { $0 == t }.count)
                    guard tf > 0 else { continue }
                    matched = true
                    best = max(best, idf(t) * tf / (tf + k1 * (1 - b + b * Double(d.terms.count) / avg)))
                }
                score += best
            }
            if matched { out.append((d.id, score)) }
        }
        return out.sorted { $0.score > $1.score || ($0.score == $1.score && $1.id < $0.id) }
    }
}
