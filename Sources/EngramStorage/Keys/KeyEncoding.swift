import EngramCore

/// The order-preserving, type-tagged tuple encoding of index keys.
///
/// Comparing two encodings byte by byte (`memcmp`, as LMDB does) gives the same
/// answer as ``Value/compare(_:_:)`` on the values, with an absent field first. Every
/// component encoding is prefix-free, so tuples compare component by component.
///
/// | tag  | value | body |
/// |------|-------|------|
/// | 0x01 | absent | — |
/// | 0x02 | null | — |
/// | 0x03 | number | 8-byte order-preserving float64, then 0x80 when exact; an int64 that a float64 cannot hold exactly adds 0x7F or 0x81 and 8 bytes of the remainder |
/// | 0x04 | boolean | 0x00 or 0x01 |
/// | 0x05 | string | UTF-8 with 0x00 written as 0x00 0xFF, ended by 0x00 0x01 |
/// | 0x06 | bytes | as string |
/// | 0x07 | array | elements, ended by 0x00 |
/// | 0x08 | map | (key as string, value) per entry, ended by 0x00 |
/// | 0x09 | vector | 0x01 + 4-byte order-preserving float32 per component, ended by 0x00 |
///
/// Ints and doubles of equal value encode identically; -0 encodes as 0 and every NaN
/// as one NaN above +∞.
///
/// Truncation: a component whose encoding is longer than its budget keeps a prefix,
/// then 0x00 0x02 and an 8-byte stable hash of the whole value. Equal values still
/// encode equally (so equality lookups work); order among long values that share the
/// kept prefix is by hash, and readers re-check such keys against the document.
public enum KeyEncoding {
    enum Tag: UInt8 {
        case absent = 0x01, null, number, bool, string, bytes, array, map, vector
    }

    /// The encoding of one component (`nil` = absent).
    public static func encode(_ value: Value?) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out)
        return out
    }

    /// Appends the encoding of one component (`nil` = absent).
    public static func append(_ value: Value?, to out: inout [UInt8]) {
        guard let value else { out.append(Tag.absent.rawValue); return }
        switch value {
        case .null:
            out.append(Tag.null.rawValue)
        case .bool(let b):
            out.append(Tag.bool.rawValue)
            out.append(b ? 1 : 0)
        case .int(let i):
            appendNumber(int: i, to: &out)
        case .double(let d):
            out.append(Tag.number.rawValue)
            appendOrderedDouble(d, to: &out)
            out.append(0x80)
        case .string(let s):
            out.append(Tag.string.rawValue)
            appendEscaped(s.utf8, to: &out)
        case .bytes(let b):
            out.append(Tag.bytes.rawValue)
            appendEscaped(b, to: &out)
        case .array(let a):
            out.append(Tag.array.rawValue)
            for e in a { append(e, to: &out) }
            out.append(0x00)
        case .map(let m):
            out.append(Tag.map.rawValue)
            for (k, v) in m {
                append(.string(k), to: &out)
                append(v, to: &out)
            }
            out.append(0x00)
        case .vector(let v):
            out.append(Tag.vector.rawValue)
            for f in v {
                out.append(0x01)
                var bits = (f.isNaN ? Float.nan : (f == 0 ? 0 : f)).bitPattern
                bits = (bits & 0x8000_0000) != 0 ? ~bits : bits | 0x8000_0000
                withUnsafeBytes(of: bits.bigEndian) { out.append(contentsOf: $0) }
            }
            out.append(0x00)
        }
    }

    /// Appends one component, truncating it when its encoding would exceed `budget`
    /// bytes (see the type's discussion).
    ///
    /// Returns the length of the order-preserving part that was appended: the whole
    /// encoding when it fits, else the kept prefix (without the marker and hash).
    /// A range bound built from a truncated value must use only that prefix, widened,
    /// so that no matching key is skipped.
    @discardableResult
    public static func append(_ value: Value?, budget: Int, to out: inout [UInt8]) -> (truncated: Bool, orderedLength: Int) {
        let start = out.count
        append(value, to: &out)
        let length = out.count - start
        guard length > budget else { return (false, length) }
        let hash = StableHash.hash64(out[start...])  // of the canonical encoding: equal values, equal hashes
        // Keep a prefix, never ending on a 0x00 (which may open an escape pair).
        var keep = max(1, budget - 10)
        if out[start + keep - 1] == 0x00 { keep -= 1 }
        out.removeSubrange((start + keep)...)
        out.append(0x00)
        out.append(0x02)
        withUnsafeBytes(of: hash.bigEndian) { out.append(contentsOf: $0) }
        return (true, keep)
    }

    /// The smallest byte string greater than every string that starts with `prefix`,
    /// or nil if there is none (all bytes 0xFF).
    public static func prefixSuccessor(_ prefix: [UInt8]) -> [UInt8]? {
        var p = prefix
        while let last = p.last {
            if last < 0xFF {
                p[p.count - 1] = last + 1
                return p
            }
            p.removeLast()
        }
        return nil
    }

    /// The first byte of every encoding of a value of the same type class as `value`,
    /// used to bound a range to one type (`x < 5` matches numbers only).
    static func typeTag(of value: Value) -> UInt8 {
        switch value {
        case .null: return Tag.null.rawValue
        case .int, .double: return Tag.number.rawValue
        case .bool: return Tag.bool.rawValue
        case .string: return Tag.string.rawValue
        case .bytes: return Tag.bytes.rawValue
        case .array: return Tag.array.rawValue
        case .map: return Tag.map.rawValue
        case .vector: return Tag.vector.rawValue
        }
    }

    private static func appendOrderedDouble(_ d: Double, to out: inout [UInt8]) {
        let canonical = d.isNaN ? Double.nan : (d == 0 ? 0 : d)
        var bits = canonical.bitPattern
        bits = (bits & (1 << 63)) != 0 ? ~bits : bits | (1 << 63)
        withUnsafeBytes(of: bits.bigEndian) { out.append(contentsOf: $0) }
    }

    private static func appendNumber(int i: Int64, to out: inout [UInt8]) {
        out.append(Tag.number.rawValue)
        let d = Double(i)
        appendOrderedDouble(d, to: &out)
        // Double(i) rounds to nearest; find the exact remainder i - d in 128-bit-safe steps.
        if d >= 9_223_372_036_854_775_808.0 {
            // i rounded up to 2^63: i is below d by (2^63 - i).
            let below = UInt64(Int64.max - i) + 1
            out.append(0x7F)
            withUnsafeBytes(of: (~below).bigEndian) { out.append(contentsOf: $0) }
            return
        }
        let di = Int64(d)
        if di == i {
            out.append(0x80)
        } else if i > di {
            out.append(0x81)
            withUnsafeBytes(of: UInt64(i - di).bigEndian) { out.append(contentsOf: $0) }
        } else {
            out.append(0x7F)
            withUnsafeBytes(of: (~UInt64(di - i)).bigEndian) { out.append(contentsOf: $0) }
        }
    }

    private static func appendEscaped<S: Sequence>(_ bytes: S, to out: inout [UInt8]) where S.Element == UInt8 {
        for b in bytes {
            out.append(b)
            if b == 0 { out.append(0xFF) }
        }
        out.append(0x00)
        out.append(0x01)
    }
}
