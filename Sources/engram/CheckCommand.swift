import ArgumentParser
import Engram

/// `engram check <dir>`: verifies every document against every index and version record.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify every document against every index and version record.",
        discussion: "Prints each disagreement and exits with status 1 if there is any. The database must not be open in another process.")

    @Argument(help: "Directory holding the database.")
    var directory: String

    func run() async throws {
        var options = StorageOptions()
        options.buildIndexesInBackground = false
        options.indexFactories = EngramSchema.indexFactories
        let db = try Database.open(at: directory, schema: nil, options: options)
        let problems = try db.check()
        var documents = 0
        for shard in db.shards {
            documents += try shard.read { scope in
                try shard.collectionNames.reduce(0) { $0 + (try scope.collection($1).count(in: scope.transaction)) }
            }
        }
        await db.close()
        for p in problems { print(p) }
        print("checked \(documents) documents in \(db.shardCount) shards: \(problems.isEmpty ? "consistent" : "\(problems.count) problems")")
        if !problems.isEmpty { throw ExitCode(1) }
    }
}
