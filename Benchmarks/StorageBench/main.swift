// Insert throughput of ~1 KB documents with three secondary indexes, for
// tools/bench/storage_bench.py. Prints one JSON object per run.
//
//   StorageBench --dir D --docs N --writers W [--shards S] [--no-sync]
//
// With --writers 1 every insert waits for its own durable commit (one commit per
// request); with more writers, concurrent inserts share commits (group commit).
import EngramCore
import EngramStorage

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var dir = "/tmp/engram-storage-bench"
    var docs = 2000
    var writers = 1
    var shards = 1
    var durable = true

    init(_ args: [String]) {
        var i = 1
        func next() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--dir": dir = next()
            case "--docs": docs = Int(next()) ?? docs
            case "--writers": writers = Int(next()) ?? writers
            case "--shards": shards = Int(next()) ?? shards
            case "--no-sync": durable = false
            default: print("unknown option \(args[i])"); exit(2)
            }
            i += 1
        }
    }
}

let schema = CollectionSchema(
    name: "docs", placement: .byID,
    indexes: [
        .secondary("by_user", ["userId"]),
        .secondary("by_space_time", ["space", "createdAt"]),
        .secondary("by_kind", ["kind"]),
    ])

/// A ~1 KB document: three indexed fields and a text body.
func document(_ i: Int) -> ValueMap {
    [
        "userId": .string("user-\(i % 1000)"),
        "space": .string("space-\(i % 50)"),
        "createdAt": .double(Double(1_700_000_000_000 + i)),
        "kind": .string(["note", "fact", "event"][i % 3]),
        "body": .string(String(repeating: "lorem ipsum dolor sit amet ", count: 35)),
    ]
}

let options = Options(CommandLine.arguments)
_ = system("rm -rf '\(options.dir)'")
var storage = StorageOptions()
storage.shardCount = options.shards
storage.environment.durable = options.durable
storage.environment.initialMapSize = 1 << 30
let db = try Database.open(at: options.dir, schema: [schema], options: storage)

let clock = ContinuousClock()
let started = clock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for w in 0..<options.writers {
        group.addTask {
            for i in stride(from: w, to: options.docs, by: options.writers) {
                try await db.insert("docs", document(i))
            }
        }
    }
    try await group.waitForAll()
}
let elapsed = clock.now - started
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
let stored = try db.count(Query("docs"))
await db.close()
_ = system("rm -rf '\(options.dir)'")
print(
    "{\"system\":\"engram\",\"docs\":\(stored),\"writers\":\(options.writers),\"shards\":\(options.shards),"
        + "\"durable\":\(options.durable),\"seconds\":\(seconds),\"docsPerSecond\":\(Double(stored) / seconds)}")
