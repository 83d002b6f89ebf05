/// MessagePack, the encoding of every payload on the wire and every document on disk.
///
/// The codec covers the whole format: nil, bool, every int width (positive/negative
/// fixint, uint/int 8–64), float32/64, str (fix/8/16/32), bin 8/16/32, array and map
/// (fix/16/32), and ext (fixext 1–16, ext 8/16/32).
///
/// Mapping to ``Value``:
/// - integers decode to `.int` (a uint64 above `Int64.max` decodes to `.double`);
/// - float32 and float64 decode to `.double`;
/// - map keys must be strings;
/// - ext type ``vectorExtensionType`` (1) holds a float32 vector as raw little-endian
///   float32 components (length a multiple of 4) and decodes to `.vector`;
/// - ext type -1 (the MessagePack timestamp) decodes to `.double` milliseconds since
///   the epoch; any other ext type is rejected.
///
/// Encoding always picks the smallest representation for ints, lengths and exts, and
/// writes `.double` as float64.
public enum MessagePack {
    /// The ext type that carries a float32 vector.
    public static let vectorExtensionType: Int8 = 1
    /// The standard MessagePack timestamp ext type.
    public static let timestampExtensionType: Int8 = -1

    /// Encodes `value` into a new byte array.
    public static func encode(_ value: Value) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        encode(value, into: &out)
        return out
    }

    /// Appends the encoding of `value` to `out`.
    public static func encode(_ value: Value, into out: inout [UInt8]) {
        switch value {
        case .null:
            out.append(0xc0)
        case .bool(let b):
            out.append(b ? 0xc3 : 0xc2)
        case .int(let i):
            encodeInt(i, into: &out)
        case .double(let d):
            out.append(0xcb)
            appendBigEndian(d.bitPattern, into: &out)
        case .string(let s):
            var s = s
            s.withUTF8 { utf8 in
                let n = utf8.count
                if n < 32 {
                    out.append(0xa0 | UInt8(n))
                } else if n <= 0xff {
                    out.append(0xd9); out.append(UInt8(n))
                } else if n <= 0xffff {
                    out.append(0xda); appendBigEndian(UInt16(n), into: &out)
                } else {
                    out.append(0xdb); appendBigEndian(UInt32(n), into: &out)
                }
                out.append(contentsOf: utf8)
            }
        case .bytes(let b):
            let n = b.count
            if n <= 0xff {
                out.append(0xc4); out.append(UInt8(n))
            } else if n <= 0xffff {
                out.append(0xc5); appendBigEndian(UInt16(n), into: &out)
            } else {
                out.append(0xc6); appendBigEndian(UInt32(n), into: &out)
            }
            out.append(contentsOf: b)
        case .array(let a):
            encodeContainerHeader(count: a.count, fix: 0x90, h16: 0xdc, h32: 0xdd, into: &out)
            for e in a { encode(e, into: &out) }
        case .map(let m):
            encodeContainerHeader(count: m.count, fix: 0x80, h16: 0xde, h32: 0xdf, into: &out)
            for (k, v) in m {
                encode(.string(k), into: &out)
                encode(v, into: &out)
            }
        case .vector(let v):
            encodeExtHeader(type: vectorExtensionType, length: v.count * 4, into: &out)
            for f in v { appendLittleEndian(f.bitPattern, into: &out) }
        }
    }

    /// Writes an ext header (fixext when the length allows) for a payload of `length` bytes.
    public static func encodeExtHeader(type: Int8, length: Int, into out: inout [UInt8]) {
        switch length {
        case 1: out.append(0xd4)
        case 2: out.append(0xd5)
        case 4: out.append(0xd6)
        case 8: out.append(0xd7)
        case 16: out.append(0xd8)
        case 0...0xff: out.append(0xc7); out.append(UInt8(length))
        case 0...0xffff: out.append(0xc8); appendBigEndian(UInt16(length), into: &out)
        default: out.append(0xc9); appendBigEndian(UInt32(length), into: &out)
        }
        out.append(UInt8(bitPattern: type))
    }

    private static func encodeInt(_ i: Int64, into out: inout [UInt8]) {
        if i >= 0 {
            if i < 128 {
                out.append(UInt8(i))
            } else if i <= 0xff {
                out.append(0xcc); out.append(UInt8(i))
            } else if i <= 0xffff {
                out.append(0xcd); appendBigEndian(UInt16(i), into: &out)
            } else if i <= 0xffff_ffff {
                out.append(0xce); appendBigEndian(UInt32(i), into: &out)
            } else {
                out.append(0xcf); appendBigEndian(UInt64(i), into: &out)
            }
        } else if i >= -32 {
            out.append(UInt8(bitPattern: Int8(i)))
        } else if i >= -128 {
            out.append(0xd0); out.append(UInt8(bitPattern: Int8(i)))
        } else if i >= -32768 {
            out.append(0xd1); appendBigEndian(UInt16(bitPattern: Int16(i)), into: &out)
        } else if i >= -2_147_483_648 {
            out.append(0xd2); appendBigEndian(UInt32(bitPattern: Int32(i)), into: &out)
        } else {
            out.append(0xd3); appendBigEndian(UInt64(bitPattern: i), into: &out)
        }
    }

    private static func encodeContainerHeader(count: Int, fix: UInt8, h16: UInt8, h32: UInt8, into out: inout [UInt8]) {
        if count < 16 {
            out.append(fix | UInt8(count))
        } else if count <= 0xffff {
            out.append(h16); appendBigEndian(UInt16(count), into: &out)
        } else {
            out.append(h32); appendBigEndian(UInt32(count), into: &out)
        }
    }

    @inline(__always)
    static func appendBigEndian<T: FixedWidthInteger>(_ v: T, into out: inout [UInt8]) {
        withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
    }

    @inline(__always)
    static func appendLittleEndian<T: FixedWidthInteger>(_ v: T, into out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }
}
