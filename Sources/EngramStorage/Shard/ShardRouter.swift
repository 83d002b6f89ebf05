import EngramCore

/// Maps documents to shards.
///
/// A document's id carries a 32-bit routing hash; its shard is the jump consistent
/// hash of that value over the shard count. For a collection sharded by a field, the
/// routing hash is a stable hash of the field's key encoding, so every document with
/// the same value lands in the same shard and a lookup by that value touches one
/// shard. Other documents get a random routing hash.
public struct ShardRouter: Sendable {
    /// Number of shards.
    public let shardCount: Int

    /// A router over `shardCount` shards.
    public init(shardCount: Int) {
        self.shardCount = shardCount
    }

    /// The shard of a routing hash.
    public func shard(forRouting routing: UInt32) -> Int {
        StableHash.jumpConsistent(StableHash.mix64(UInt64(routing)), buckets: shardCount)
    }

    /// The shard that holds document `id`.
    public func shard(of id: DocumentID) -> Int {
        shard(forRouting: id.routing)
    }

    /// The routing hash of a shard-key value.
    public func routing(forShardKey value: Value) -> UInt32 {
        UInt32(truncatingIfNeeded: StableHash.hash64(KeyEncoding.encode(value)))
    }

    /// The shard that holds documents whose shard key is `value`.
    public func shard(forShardKey value: Value) -> Int {
        shard(forRouting: routing(forShardKey: value))
    }

    /// The shard a new document of `schema` with `fields` belongs to, or nil when any
    /// shard may take it (the caller chooses).
    public func shard(for schema: CollectionSchema, fields: ValueMap) -> Int? {
        switch schema.placement {
        case .system: return 0
        case .byID: return nil
        case .shardKey(let path): return Value.map(fields).lookup(path).map { shard(forShardKey: $0) }
        }
    }

    /// A routing hash for a new document of `schema` with `fields` that is written in
    /// shard `shard`. Throws `INVALID_ARGUMENT` if the document belongs elsewhere.
    func routingHash(for schema: CollectionSchema, fields: ValueMap, shard target: Int) throws -> UInt32 {
        if case .shardKey(let path) = schema.placement, let value = Value.map(fields).lookup(path) {
            let r = routing(forShardKey: value)
            guard shard(forRouting: r) == target else {
                throw EngramError(
                    .invalidArgument,
                    "a document of '\(schema.name)' with \(path) = \(value) belongs to shard \(shard(forRouting: r)), not shard \(target)")
            }
            return r
        }
        if case .system = schema.placement, target != 0 {
            throw EngramError(.invalidArgument, "documents of '\(schema.name)' live in shard 0, not shard \(target)")
        }
        while true {  // expected shardCount draws
            let r = UInt32.random(in: .min ... .max)
            if shard(forRouting: r) == target { return r }
        }
    }
}
