import EngramCore
import EngramStorage
import Foundation

/// A database in a fresh temporary directory, removed when the test is done.
final class TestDatabase {
    let path: String
    let db: Database

    init(schema: [CollectionSchema], shards: Int = 2, configure: (inout StorageOptions) -> Void = { _ in }) throws {
        path = NSTemporaryDirectory() + "engram-test-\(UUID().uuidString)"
        var options = StorageOptions()
        options.shardCount = shards
        options.environment.durable = false
        configure(&options)
        db = try Database.open(at: path, schema: schema, options: options)
    }

    /// Closes the database and deletes its directory.
    func destroy() async {
        await db.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}
