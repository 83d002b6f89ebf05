// Vector benchmark driver for tools/bench/vector_bench.py.
//
// usage: VectorBench build  --base F --dim D --data DIR [--m 16] [--efc 200] [--shards 1]
//                           [--writers 64] [--metric cosine] [--tag-modulo 100]
//        VectorBench search --data DIR --queries F --dim D --truth F [--k 10] [--passes 3]
//                           [--ef 10,16,32,64,128,256] [--exact] [--filter-truth F]
//
// Files are raw little-endian float32 rows (base, queries) and int32 rows of exact
// neighbour row numbers (truth: any number of columns, the first k used). `build` loads
// every base row as a document {v, tag: row % tag-modulo, row} into a collection placed
// by id over `shards` shards (commits not fsynced, as the in-memory peers), with
// `writers` requests in flight (each shard has one writer thread, so the shard count is
// the number of cores the build uses), waits until every graph is linked, and reports
// the time, the directory's size and the resident set. `search` opens the directory,
// times its first query from process start, makes one warm-up pass, then runs every
// query one at a time, `passes` times for each ef (and exactly, and with the 1% filter
// tag = 7 in the index and by post-filtering a top 1000), and reports the pass with the
// median throughput (this machine is noisy). Prints one JSON object per line; progress
// goes to standard error.
import EngramCore
import EngramStorage
import EngramVector
import Foundation

struct Arguments {
    var command = "", base = "", queries = "", truth = "", filterTruth = "", data = "", metric = "cosine"
    var dim = 0, m = 16, efc = 200, shards = 1, writers = 64, tagModulo = 100, k = 10, passes = 3
    var efs = [10, 16, 32, 48, 64, 96, 128, 192, 256]
    var exact = false

    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        command = args.next() ?? ""
        while let a = args.next() {
            if a == "--exact" {
                exact = true
                continue
            }
            let v = args.next() ?? ""
            switch a {
            case "--base": base = v
            case "--queries": queries = v
            case "--truth": truth = v
            case "--filter-truth": filterTruth = v
            case "--data": data = v
            case "--metric": metric = v
            case "--dim": dim = Int(v) ?? 0
            case "--m": m = Int(v) ?? 16
            case "--efc": efc = Int(v) ?? 200
            case "--shards": shards = Int(v) ?? 1
            case "--writers": writers = Int(v) ?? 64
            case "--passes": passes = max(1, Int(v) ?? 3)
            case "--tag-modulo": tagModulo = Int(v) ?? 100
            case "--k": k = Int(v) ?? 10
            case "--ef": efs = v.split(separator: ",").compactMap { Int($0) }
            default: fatalError("unknown option \(a)")
            }
        }
        guard dim > 0, !data.isEmpty, command == "build" || command == "search" else {
            fatalError("usage: VectorBench build|search --dim D --data DIR ... (see the top of main.swift)")
        }
    }
}

/// Rows of `width` values of type T from a raw little-endian file.
func rows<T>(_ path: String, width: Int, as: T.Type) throws -> [[T]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let n = data.count / (MemoryLayout<T>.size * width)
    return data.withUnsafeBytes { raw in
        (0..<n).map { r in (0..<width).map { raw.loadUnaligned(fromByteOffset: (r * width + $0) * MemoryLayout<T>.size, as: T.self) } }
    }
}

func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])  // numbers and strings only
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

func progress(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count - 1) * p))]
}

/// Resident set size in bytes (Linux).
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
    return 0
}

/// Seconds since this process started (Linux: /proc/self/stat start time vs uptime).
func secondsSinceProcessStart() -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
        let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    let ticks = Double(fields[19]) ?? 0  // field 22 of the whole line: start time in clock ticks
    return (Double(uptime.split(separator: " ")[0]) ?? 0) - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func directoryBytes(_ path: String) -> Int {
    let files = FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []
    return files.reduce(0) { total, f in
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "/" + f)[.size] as? Int) ?? 0
        return total + size
    }
}

func schema(_ a: Arguments) throws -> CollectionSchema {
    var o = VectorIndexOptions()
    o.m = a.m
    o.efConstruction = a.efc
    o.exactThreshold = 1000
    o.metric = VectorMetric(rawValue: a.metric) ?? .cosine
    return CollectionSchema(name: "vectors", placement: .byID, indexes: [.vector("by_v", field: "v", filters: ["tag"], options: o)])
}

func open(_ a: Arguments) throws -> Database {
    var options = StorageOptions()
    options.shardCount = a.shards
    options.environment.durable = false
    options.indexFactories = [VectorIndex.factory]
    return try Database.open(at: a.data, schema: [try schema(a)], options: options)
}

func build(_ a: Arguments) async throws {
    let base = try rows(a.base, width: a.dim, as: Float.self)
    let db = try open(a)
    let start = Date()
    let writers = a.writers
    try await withThrowingTaskGroup(of: Void.self) { group in
        for w in 0..<writers {
            group.addTask {
                for r in stride(from: w, to: base.count, by: writers) {
                    try await db.insert("vectors", ["v": .vector(base[r]), "tag": .int(Int64(r % a.tagModulo)), "row": .int(Int64(r))])
                    if r % 50_000 == 0 { progress("inserted \(r) of \(base.count)") }
                }
            }
        }
        try await group.waitForAll()
    }
    progress("inserted \(base.count) in \(Date().timeIntervalSince(start)) s; linking")
    try await db.settleVectorIndexes()
    let seconds = Date().timeIntervalSince(start)
    let rss = residentBytes()
    for shard in db.shards { try shard.environment.sync() }
    await db.close()
    emit([
        "phase": "build", "seconds": seconds, "shards": a.shards, "vectors": base.count,
        "index_bytes": directoryBytes(a.data), "rss_bytes": rss, "kernel": vectorKernelVariant,
    ])
}

func search(_ a: Arguments) async throws {
    let queries = try rows(a.queries, width: a.dim, as: Float.self)
    let truth = try rows(a.truth, width: 1, as: Int32.self).count / max(queries.count, 1)
    let truthRows = try rows(a.truth, width: truth, as: Int32.self)
    let db = try open(a)
    func query(_ q: [Float], ef: Int? = nil, k: Int, filter: EngramStorage.Predicate? = nil, exact: Bool = false) throws -> [Int] {
        try db.vectorSearch(VectorQuery(collection: "vectors", index: "by_v", vector: q, limit: k, filter: filter, ef: ef, exact: exact))
            .map { Int($0.document.fields["row"]!.int64Value!) }  // every document has a row
    }
    _ = try query(queries[0], k: a.k)
    emit(["phase": "first_query", "seconds": secondsSinceProcessStart()])
    try await db.settleVectorIndexes()  // graphs in memory

    func pass(ef: Int?, truth: [[Int32]], _ body: ([Float]) throws -> [Int]) rethrows -> [String: Any] {
        var latencies: [Double] = [], hits = 0
        let started = Date()
        for (i, q) in queries.enumerated() {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let found = try body(q)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
            let expected = Set(truth[i].prefix(a.k).map(Int.init))
            hits += found.prefix(a.k).filter(expected.contains).count
        }
        var out: [String: Any] = [
            "recall": Double(hits) / Double(queries.count * a.k),
            "qps": Double(queries.count) / Date().timeIntervalSince(started),
            "p50_us": percentile(latencies, 0.5), "p99_us": percentile(latencies, 0.99),
        ]
        if let ef { out["ef"] = ef }
        return out
    }
    func run(_ phase: String, ef: Int? = nil, truth: [[Int32]], _ body: ([Float]) throws -> [Int]) rethrows {
        var passes = try (0..<a.passes).map { _ in try pass(ef: ef, truth: truth, body) }
        passes.sort { ($0["qps"] as! Double) < ($1["qps"] as! Double) }  // every pass has a qps
        var median = passes[passes.count / 2]
        median["phase"] = phase
        median["passes"] = a.passes
        emit(median)
    }
    _ = try pass(ef: a.efs.first, truth: truthRows) { try query($0, ef: a.efs.first, k: a.k) }  // warm-up
    for ef in a.efs { try run("search", ef: ef, truth: truthRows) { try query($0, ef: ef, k: a.k) } }
    if a.exact { try run("exact", truth: truthRows) { try query($0, k: a.k, exact: true) } }
    if !a.filterTruth.isEmpty {
        let filterRows = try rows(a.filterTruth, width: a.k, as: Int32.self)
        let seven = EngramStorage.Predicate.compare("tag", .equal, .int(7))
        try run("filter", truth: filterRows) { try query($0, k: a.k, filter: seven) }
        try run("postfilter", ef: 1000, truth: filterRows) { q in
            Array(try query(q, ef: 1000, k: 1000).filter { $0 % a.tagModulo == 7 }.prefix(a.k))
        }
    }
    await db.close()
}

let arguments = Arguments()
if arguments.command == "build" { try await build(arguments) } else { try await search(arguments) }
