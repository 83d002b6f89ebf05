// Text benchmark driver for tools/bench/text_bench.py.
//
// usage: TextBench --corpus FILE --queries FILE --out FILE [--shards 2] [--k 10]
//                  [--tokenizer plain|english] [--writers 64] [--vector-ranks FILE]
//        TextBench --stem FILE      (prints the English stem of each word of FILE, one a line)
//
// Corpus and queries: one text per line. Indexes every line as a document (durable
// commits off, as the in-memory peers), then runs each query once with pruning
// (MaxScore) and once exhaustively, one at a time. Writes one JSON line per query to
// --out: {"q": i, "ids": [line numbers], "scores": [...]} (the pruned run), and prints a
// JSON summary. With --vector-ranks (one line per query: "line:score line:score ..."),
// also fuses the text top-100 with that list by reciprocal rank fusion (k = 60) and
// writes {"q": i, "fused": [...]} lines to --out.fused.
import EngramCore
import EngramStorage
import EngramText
import Foundation

struct Options {
    var corpus = "", queries = "", out = "", vectorRanks: String?, stem: String?
    var shards = 2, k = 10, writers = 64
    var tokenizer = "plain"

    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let a = args.next() {
            let v = args.next() ?? ""
            switch a {
            case "--corpus": corpus = v
            case "--queries": queries = v
            case "--out": out = v
            case "--shards": shards = Int(v) ?? 2
            case "--k": k = Int(v) ?? 10
            case "--writers": writers = Int(v) ?? 64
            case "--tokenizer": tokenizer = v
            case "--vector-ranks": vectorRanks = v
            case "--stem": stem = v
            default: fatalError("unknown option \(a)")
            }
        }
    }
}

/// The lines of a file (without a final empty line).
func lines(_ path: String) throws -> [String] {
    var all = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if all.last == "" { all.removeLast() }
    return all
}

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count - 1) * p))]
}

let options = Options()
if let stem = options.stem {
    let stemmer = Tokenizer(TokenizerOptions(stemming: true))
    print(try lines(stem).map { stemmer.termStrings($0).joined(separator: " ") }.joined(separator: "\n"))
    exit(0)
}
let corpus = try lines(options.corpus)
let queries = try lines(options.queries)

let tokenizer: TokenizerOptions = options.tokenizer == "english" ? .english : TokenizerOptions()
let schema = CollectionSchema(name: "passages", indexes: [TextIndex.definition("by_text", text: "text", tokenizer: tokenizer)])
let dir = NSTemporaryDirectory() + "engram-textbench-\(UUID().uuidString)"
defer { try? FileManager.default.removeItem(atPath: dir) }
var storage = StorageOptions()
storage.shardCount = options.shards
storage.environment.durable = false
storage.indexFactories = [TextIndex.factory]
let db = try Database.open(at: dir, schema: [schema], options: storage)

// Indexing: `writers` concurrent tasks, grouped into shared commits by each shard's writer.
let clock = ContinuousClock()
let indexStart = clock.now
let ids = try await withThrowingTaskGroup(of: [(Int, DocumentID)].self) { group in
    for w in 0..<options.writers {
        group.addTask {
            var mine: [(Int, DocumentID)] = []
            for i in stride(from: w, to: corpus.count, by: options.writers) {
                mine.append((i, try await db.insert("passages", ["text": .string(corpus[i])]).id))
            }
            return mine
        }
    }
    var all: [DocumentID: Int] = [:]
    for try await part in group { for (i, id) in part { all[id] = i } }
    return all
}
for s in db.shards { try s.environment.sync() }
let indexSeconds = Double((clock.now - indexStart).components.attoseconds) / 1e18 + Double((clock.now - indexStart).components.seconds)

func run(_ pruning: Bool, k: Int) throws -> (latencies: [Double], results: [[ScoredID]]) {
    var latencies: [Double] = [], results: [[ScoredID]] = []
    for q in queries {
        let query = TextQuery(collection: "passages", index: "by_text", text: q, limit: k, maxTerms: 256, pruning: pruning)
        let t0 = clock.now
        let hits = try db.textSearchIDs(query)
        let d = clock.now - t0
        latencies.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15)
        results.append(hits)
    }
    return (latencies, results)
}

_ = try run(true, k: options.k)  // warm the map and caches
let pruned = try run(true, k: options.k)
let exhaustive = try run(false, k: options.k)
let agreeing = zip(pruned.results, exhaustive.results).filter { $0.map(\.id) == $1.map(\.id) }.count

var out = ""
for (i, hits) in pruned.results.enumerated() {
    let lineIDs = hits.map { String(ids[$0.id] ?? -1) }.joined(separator: ",")
    let scores = hits.map { String($0.score) }.joined(separator: ",")
    out += "{\"q\": \(i), \"ids\": [\(lineIDs)], \"scores\": [\(scores)]}\n"
}
try out.write(toFile: options.out, atomically: true, encoding: .utf8)

if let vr = options.vectorRanks {
    let byLine = Dictionary(uniqueKeysWithValues: ids.map { ($1, $0) })
    let vectorLines = try lines(vr)
    let text100 = try run(true, k: 100).results
    var fused = ""
    for (i, hits) in text100.enumerated() where i < vectorLines.count {
        let vector: [ScoredID] = vectorLines[i].split(separator: " ").compactMap { pair in
            let p = pair.split(separator: ":")
            guard p.count == 2, let line = Int(p[0]), let score = Double(p[1]), let id = byLine[line] else { return nil }
            return ScoredID(id: id, score: score)
        }
        let hybrid = try HybridFusion.standard.fuse(vector: vector, text: hits, limit: 10)
        fused += "{\"q\": \(i), \"fused\": [\(hybrid.map { String(ids[$0.id] ?? -1) }.joined(separator: ","))]}\n"
    }
    try fused.write(toFile: options.out + ".fused", atomically: true, encoding: .utf8)
}

let summary: [String: Any] = [
    "docs": corpus.count, "queries": queries.count, "shards": options.shards, "index_seconds": indexSeconds,
    "docs_per_s": Double(corpus.count) / indexSeconds,
    "p50_ms": percentile(pruned.latencies, 0.5), "p99_ms": percentile(pruned.latencies, 0.99),
    "mean_ms": pruned.latencies.reduce(0, +) / Double(max(1, queries.count)),
    "exhaustive_p50_ms": percentile(exhaustive.latencies, 0.5), "exhaustive_p99_ms": percentile(exhaustive.latencies, 0.99),
    "exhaustive_mean_ms": exhaustive.latencies.reduce(0, +) / Double(max(1, queries.count)),
    "pruned_equals_exhaustive": agreeing,
]
print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
await db.close()
