// Storage benchmarks driven by tools/bench/storage_bench.py; prints one JSON object.
//
//   StorageBench insert --docs N --writers W [--shards S] [--no-sync] [--dir D]
//     ~1 KB documents with three secondary indexes. --writers 1: one durable commit per
//     insert; more writers: concurrent inserts share commits (group commit).
//   StorageBench reads --docs N [--shards S] [--dir D]
//     loads N documents, then times indexed point lookups, 100-document range scans and
//     a full cross-shard scan in index order.
import EngramCore
import EngramStorage

#if canImport(Glibc)
import Glibc
#endif

let options = BenchOptions(CommandLine.arguments)
_ = system("rm -rf '\(options.dir)'")
var storage = StorageOptions()
storage.shardCount = options.shards
storage.environment.durable = options.durable
storage.environment.initialMapSize = 1 << 30
let db = try Database.open(at: options.dir, schema: [BenchData.schema], options: storage)
let result: String
switch options.mode {
case "insert": result = try await InsertWorkload(db: db, options: options).run()
case "reads": result = try await ReadWorkload(db: db, options: options).run()
default:
    print("unknown mode \(options.mode); use insert or reads")
    exit(2)
}
await db.close()
_ = system("rm -rf '\(options.dir)'")
print(result)
