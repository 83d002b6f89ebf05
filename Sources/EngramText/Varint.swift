/// LEB128 variable-length unsigned integers: seven bits per byte, low bits first, the
/// high bit set on every byte but the last. Small numbers (deltas, term frequencies,
/// lengths) take one byte.
enum Varint {
    /// Appends `value` to `out`.
    @inline(__always)
    static func append(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// The encoding of `value`.
    static func encode(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out)
        return out
    }

    /// Reads one value at `offset` and moves `offset` past it. Returns nil when the
    /// bytes end inside the value or it has more than ten bytes (malformed).
    @inline(__always)
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let b = bytes[offset]
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }

    /// Decodes a buffer holding exactly one value.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        var offset = 0
        guard let v = read(bytes, at: &offset), offset == bytes.count else { return nil }
        return v
    }
}

/// Fixed-width big-endian encoding of document numbers in keys, so that byte order is
/// numeric order.
enum BigEndian {
    /// The 8 bytes of `value`, most significant first.
    static func bytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
    }

    /// The value of the 8 bytes starting at `offset`; nil if fewer remain.
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64? {
        guard offset >= 0, offset + 8 <= bytes.count else { return nil }
        var v: UInt64 = 0
        for i in 0..<8 { v = (v << 8) | UInt64(bytes[offset + i]) }
        return v
    }
}
