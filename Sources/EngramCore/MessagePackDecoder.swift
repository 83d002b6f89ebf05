/// Bounds that protect a decoder from hostile input.
public struct DecodingLimits: Sendable, Equatable {
    /// Deepest nesting of arrays and maps accepted.
    public var maxDepth: Int
    /// Largest input accepted, in bytes.
    public var maxInputBytes: Int

    /// Limits.
    public init(maxDepth: Int = 64, maxInputBytes: Int = 64 << 20) {
        self.maxDepth = maxDepth
        self.maxInputBytes = maxInputBytes
    }

    /// Nesting 64 deep, inputs up to 64 MiB.
    public static let `default` = DecodingLimits()
}

extension MessagePack {
    /// Decodes exactly one value from `bytes`.
    ///
    /// Throws `MALFORMED_MESSAGEPACK` for truncated input, trailing bytes, invalid
    /// UTF-8, non-string map keys, duplicate map keys, unknown ext types, or input
    /// beyond `limits`. Declared lengths are checked against the bytes that remain
    /// before anything is allocated, so a short hostile input cannot demand a large
    /// allocation.
    public static func decode(_ bytes: [UInt8], limits: DecodingLimits = .default) throws -> Value {
        try bytes.withUnsafeBytes { try decode($0, limits: limits) }
    }

    /// Decodes exactly one value from raw memory (see ``decode(_:limits:)-([UInt8],_)``).
    public static func decode(_ buffer: UnsafeRawBufferPointer, limits: DecodingLimits = .default) throws -> Value {
        guard buffer.count <= limits.maxInputBytes else {
            throw EngramError(.malformedMessagePack, "input of \(buffer.count) bytes exceeds the limit of \(limits.maxInputBytes)")
        }
        var reader = MessagePackReader(buffer: buffer, maxDepth: limits.maxDepth)
        let value = try reader.readValue(depth: 0)
        guard reader.offset == buffer.count else {
            throw EngramError(.malformedMessagePack, "\(buffer.count - reader.offset) trailing bytes after the value")
        }
        return value
    }
}

/// A cursor over MessagePack bytes that reads one value at a time.
struct MessagePackReader {
    let buffer: UnsafeRawBufferPointer
    let maxDepth: Int
    var offset = 0

    init(buffer: UnsafeRawBufferPointer, maxDepth: Int) {
        self.buffer = buffer
        self.maxDepth = maxDepth
    }

    private func fail(_ message: String) -> EngramError {
        EngramError(.malformedMessagePack, "\(message) at byte \(offset)")
    }

    @inline(__always)
    private mutating func need(_ n: Int) throws {
        guard n <= buffer.count - offset else { throw fail("truncated input: \(n) bytes needed, \(buffer.count - offset) left") }
    }

    @inline(__always)
    private mutating func byte() throws -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return buffer[offset]
    }

    @inline(__always)
    private mutating func bigEndian<T: FixedWidthInteger>(_: T.Type) throws -> T {
        try need(MemoryLayout<T>.size)
        var v: T = 0
        for i in 0..<MemoryLayout<T>.size { v = (v << 8) | T(buffer[offset + i]) }
        offset += MemoryLayout<T>.size
        return v
    }

    private mutating func bytes(_ n: Int) throws -> UnsafeRawBufferPointer {
        try need(n)
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + n])
    }

    private mutating func string(_ n: Int) throws -> String {
        let raw = try bytes(n)
        guard let s = String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) else {
            throw fail("invalid UTF-8 in a string")
        }
        return s
    }

    mutating func readValue(depth: Int) throws -> Value {
        let tag = try byte()
        switch tag {
        case 0x00...0x7f: return .int(Int64(tag))
        case 0x80...0x8f: return try readMap(count: Int(tag & 0x0f), depth: depth)
        case 0x90...0x9f: return try readArray(count: Int(tag & 0x0f), depth: depth)
        case 0xa0...0xbf: return .string(try string(Int(tag & 0x1f)))
        case 0xc0: return .null
        case 0xc1: throw fail("the reserved byte 0xc1 is never valid")
        case 0xc2: return .bool(false)
        case 0xc3: return .bool(true)
        case 0xc4: return .bytes(Array(try bytes(Int(try bigEndian(UInt8.self)))))
        case 0xc5: return .bytes(Array(try bytes(Int(try bigEndian(UInt16.self)))))
        case 0xc6: return .bytes(Array(try bytes(Int(try bigEndian(UInt32.self)))))
        case 0xc7: return try readExt(length: Int(try bigEndian(UInt8.self)))
        case 0xc8: return try readExt(length: Int(try bigEndian(UInt16.self)))
        case 0xc9: return try readExt(length: Int(try bigEndian(UInt32.self)))
        case 0xca: return .double(Double(Float(bitPattern: try bigEndian(UInt32.self))))
        case 0xcb: return .double(Double(bitPattern: try bigEndian(UInt64.self)))
        case 0xcc: return .int(Int64(try bigEndian(UInt8.self)))
        case 0xcd: return .int(Int64(try bigEndian(UInt16.self)))
        case 0xce: return .int(Int64(try bigEndian(UInt32.self)))
        case 0xcf:
            let u = try bigEndian(UInt64.self)
            return u <= UInt64(Int64.max) ? .int(Int64(u)) : .double(Double(u))
        case 0xd0: return .int(Int64(Int8(bitPattern: try bigEndian(UInt8.self))))
        case 0xd1: return .int(Int64(Int16(bitPattern: try bigEndian(UInt16.self))))
        case 0xd2: return .int(Int64(Int32(bitPattern: try bigEndian(UInt32.self))))
        case 0xd3: return .int(Int64(bitPattern: try bigEndian(UInt64.self)))
        case 0xd4: return try readExt(length: 1)
        case 0xd5: return try readExt(length: 2)
        case 0xd6: return try readExt(length: 4)
        case 0xd7: return try readExt(length: 8)
        case 0xd8: return try readExt(length: 16)
        case 0xd9: return .string(try string(Int(try bigEndian(UInt8.self))))
        case 0xda: return .string(try string(Int(try bigEndian(UInt16.self))))
        case 0xdb: return .string(try string(Int(try bigEndian(UInt32.self))))
        case 0xdc: return try readArray(count: Int(try bigEndian(UInt16.self)), depth: depth)
        case 0xdd: return try readArray(count: Int(try bigEndian(UInt32.self)), depth: depth)
        case 0xde: return try readMap(count: Int(try bigEndian(UInt16.self)), depth: depth)
        case 0xdf: return try readMap(count: Int(try bigEndian(UInt32.self)), depth: depth)
        default: return .int(Int64(Int8(bitPattern: tag)))  // 0xe0...0xff: negative fixint
        }
    }

    private mutating func enter(_ depth: Int) throws {
        guard depth < maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
    }

    private mutating func readArray(count: Int, depth: Int) throws -> Value {
        try enter(depth)
        try need(count)  // every element takes at least one byte
        var elements: [Value] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try readValue(depth: depth + 1)) }
        return .array(elements)
    }

    private mutating func readMap(count: Int, depth: Int) throws -> Value {
        try enter(depth)
        try need(count * 2)  // every entry takes at least two bytes
        var map = ValueMap(minimumCapacity: count)
        for _ in 0..<count {
            let keyOffset = offset
            guard case .string(let key) = try readValue(depth: depth + 1) else {
                offset = keyOffset
                throw fail("a map key is not a string")
            }
            let value = try readValue(depth: depth + 1)
            guard map.updateValue(value, forKey: key) == nil else {
                throw fail("duplicate map key '\(key.prefix(64))'")
            }
        }
        return .map(map)
    }

    private mutating func readExt(length: Int) throws -> Value {
        let type = Int8(bitPattern: try byte())
        let payload = try bytes(length)
        switch type {
        case MessagePack.vectorExtensionType:
            guard length % 4 == 0 else { throw fail("a vector ext holds \(length) bytes, not a multiple of 4") }
            var v = [Float](repeating: 0, count: length / 4)
            v.withUnsafeMutableBytes { $0.copyMemory(from: payload) }
            #if _endian(big)
            for i in v.indices { v[i] = Float(bitPattern: UInt32(littleEndian: v[i].bitPattern)) }
            #endif
            return .vector(v)
        case MessagePack.timestampExtensionType:
            return .double(try timestampMilliseconds(payload))
        default:
            throw fail("unsupported ext type \(type)")
        }
    }

    private func timestampMilliseconds(_ p: UnsafeRawBufferPointer) throws -> Double {
        func be<T: FixedWidthInteger>(_ range: Range<Int>, _: T.Type) -> T {
            p[range].reduce(T(0)) { ($0 << 8) | T($1) }
        }
        switch p.count {
        case 4:
            return Double(be(0..<4, UInt32.self)) * 1000
        case 8:
            let v = be(0..<8, UInt64.self)
            return Double(v & 0x3_ffff_ffff) * 1000 + Double(v >> 34) / 1_000_000
        case 12:
            let nanos = be(0..<4, UInt32.self)
            let secs = Int64(bitPattern: be(4..<12, UInt64.self))
            return Double(secs) * 1000 + Double(nanos) / 1_000_000
        default:
            throw fail("a timestamp ext holds \(p.count) bytes, not 4, 8 or 12")
        }
    }
}
