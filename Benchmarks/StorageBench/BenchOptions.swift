#if canImport(Glibc)
import Glibc
#endif

/// Command-line options of StorageBench.
struct BenchOptions {
    var mode = "insert"
    var dir = "/tmp/engram-storage-bench"
    var docs = 2000
    var writers = 1
    var shards = 1
    var durable = true

    init(_ args: [String]) {
        var i = 1
        if args.count > 1, !args[1].hasPrefix("--") {
            mode = args[1]
            i = 2
        }
        func next() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--dir": dir = next()
            case "--docs": docs = Int(next()) ?? docs
            case "--writers": writers = Int(next()) ?? writers
            case "--shards": shards = Int(next()) ?? shards
            case "--no-sync": durable = false
            default:
                print("unknown option \(args[i])")
                exit(2)
            }
            i += 1
        }
    }
}
