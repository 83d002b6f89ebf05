import EngramCore
import EngramStorage

/// The cascades the catalogue runs as jobs, as lists of steps.
public enum CascadePlans {
    /// The tables `memorySpaces:deleteSpace` cascades to, in the order of its result's counts.
    public static let spaceTables = ["conversations", "memories", "facts"]

    /// Deleting a space's data: its conversations, memories and facts (every tenant,
    /// superseded facts included), all in the shard of its memorySpaceId.
    public static func spaceDeletion(memorySpaceId: String, in database: Database) -> [CascadeStep] {
        let shard = database.router.shard(forShardKey: .string(memorySpaceId))
        return spaceTables.map {
            CascadeStep(shard: shard, table: $0, index: "by_memorySpace", values: [.string(memorySpaceId)])
        }
    }
}
