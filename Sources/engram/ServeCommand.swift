import ArgumentParser
import Engram
import Logging

/// `engram serve`: opens the database and serves it until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Open the database and serve it until SIGINT or SIGTERM.")

    @Option(help: "Directory holding the database.")
    var data: String = "./data"

    @Option(help: "Shards of a new database (default: one per core, at least 2).")
    var shards: Int?

    func run() async throws {
        var logger = Logger(label: "engram")
        logger.logLevel = .info
        var options = StorageOptions()
        options.shardCount = shards
        let db = try Database.open(at: data, schema: EngramSchema.collections, options: options)
        logger.info(
            "database open",
            metadata: ["path": "\(data)", "shards": "\(db.shardCount)", "collections": "\(db.schemas.count)"])
        for shard in db.shards {
            logger.info(
                "shard", metadata: ["shard": "\(shard.index)", "path": "\(shard.environment.path)",
                                    "mapBytes": "\(shard.environment.currentMapSize)"])
        }
        let signal = await ShutdownSignal.wait()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        await db.close()
        logger.info("closed cleanly")
    }
}
