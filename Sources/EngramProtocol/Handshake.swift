import NIOCore

/// The 8-byte preamble each side sends once, before any frame.
///
/// Layout (big-endian): the magic `ENGR` (`45 4E 47 52`), then two `u16`s. The client
/// sends the lowest and highest protocol versions it speaks; the server answers with
/// the version it chose (the highest both speak; 0 when there is none, after which it
/// closes the connection) and the highest version it speaks itself.
public struct Preamble: Sendable, Equatable {
    /// `ENGR`.
    public static let magic: [UInt8] = [0x45, 0x4E, 0x47, 0x52]
    /// Bytes on the wire.
    public static let size = 8

    /// Client: lowest version spoken. Server: version chosen (0 = none in common).
    public var first: UInt16
    /// Client: highest version spoken. Server: highest version it speaks.
    public var second: UInt16

    /// A preamble of two version numbers.
    public init(_ first: UInt16, _ second: UInt16) {
        self.first = first
        self.second = second
    }

    /// Appends the 8 bytes to `buffer`.
    public func write(to buffer: inout ByteBuffer) {
        buffer.writeBytes(Self.magic)
        buffer.writeInteger(first)
        buffer.writeInteger(second)
    }
}

/// Protocol versions and their negotiation.
public enum ProtocolVersion {
    /// Lowest version this build speaks.
    public static let minimum: UInt16 = 1
    /// Highest version this build speaks.
    public static let maximum: UInt16 = 1

    /// The version a server speaking `minimum...maximum` picks for a client speaking
    /// `clientMin...clientMax`: the highest in common, or nil.
    public static func negotiate(clientMin: UInt16, clientMax: UInt16) -> UInt16? {
        let high = min(clientMax, maximum)
        return high >= max(clientMin, minimum) ? high : nil
    }
}
