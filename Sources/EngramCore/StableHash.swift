/// Hashes that never change between runs, builds or machines.
///
/// Swift's `Hasher` is seeded per process, so anything persisted or used for routing
/// (shard placement, collection tags, truncated index keys) uses these instead.
public enum StableHash {
    /// 64-bit FNV-1a over `bytes`, finished with a 64-bit avalanche mix so that
    /// every input bit affects every output bit.
    @inlinable public static func hash64<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return mix64(h)
    }

    /// The murmur3 finaliser: a bijective avalanche of a 64-bit value.
    @inlinable public static func mix64(_ x: UInt64) -> UInt64 {
        var z = x
        z ^= z >> 33
        z = z &* 0xff51_afd7_ed55_8ccd
        z ^= z >> 33
        z = z &* 0xc4ce_b9fe_1a85_ec53
        z ^= z >> 33
        return z
    }

    /// Jump consistent hash (Lamping & Veach): maps `key` to a bucket in `0..<buckets`
    /// such that growing `buckets` moves only the keys that must move.
    /// - Precondition: `buckets > 0`.
    public static func jumpConsistent(_ key: UInt64, buckets: Int) -> Int {
        precondition(buckets > 0)
        var k = key
        var b: Int64 = -1, j: Int64 = 0
        while j < Int64(buckets) {
            b = j
            k = k &* 2_862_933_555_777_941_757 &+ 1
            j = Int64(Double(b + 1) * (Double(Int64(1) << 31) / Double((k >> 33) + 1)))
        }
        return Int(b)
    }
}
