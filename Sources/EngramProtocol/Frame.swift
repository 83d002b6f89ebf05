import EngramCore
import NIOCore

/// The kind of a frame (its `type` byte). Requests go client → server with the high
/// bit clear; answers and pushes go server → client with the high bit set.
public enum FrameType: UInt8, Sendable, CaseIterable {
    /// Authenticate; must be the first frame. Payload: map `{apiKey?, client?}`.
    case hello = 0x01
    /// Liveness; the payload (any bytes, usually none) is echoed in a ``pong``.
    case ping = 0x02
    /// Call a function. Payload: map `{function, args, timeoutMs?}`.
    case call = 0x03
    /// Run query-language text. Payload: map `{text, params?, timeoutMs?}`.
    case query = 0x04
    /// Fetch the next batch of an open cursor. Payload: map `{cursor, batchSize?}`.
    case cursorNext = 0x05
    /// Close an open cursor. Payload: map `{cursor}`.
    case cursorClose = 0x06

    /// A successful answer. Payload: one MessagePack value.
    case result = 0x80
    /// The answer to a ``ping``: its payload, echoed.
    case pong = 0x81
    /// A failed request (or, with request id 0, a connection-level failure).
    /// Payload: map `{code, message, data?, details?}`.
    case error = 0x82
    /// Reserved for subscriptions: a server-initiated message. Never sent in version 1.
    case push = 0x83
}

/// One frame: a 10-byte header and a payload.
///
/// Header (big-endian): `u32` payload length, `u8` type, `u8` flags (0 in version 1;
/// receivers ignore bits they do not know), `u32` request id. The payload follows.
public struct Frame: Sendable {
    /// Header bytes.
    public static let headerSize = 10

    /// The frame's type byte, kept raw so that unknown types can be answered.
    public var rawType: UInt8
    /// Flags (none defined in version 1).
    public var flags: UInt8
    /// The request id: chosen by the client, echoed in the answer; 0 for
    /// connection-level errors and pushes.
    public var requestID: UInt32
    /// The payload bytes (MessagePack unless the type says otherwise).
    public var payload: ByteBuffer

    /// A frame.
    public init(type: FrameType, requestID: UInt32, flags: UInt8 = 0, payload: ByteBuffer) {
        self.rawType = type.rawValue
        self.flags = flags
        self.requestID = requestID
        self.payload = payload
    }

    /// A frame of a raw type byte (for tests of unknown types).
    public init(rawType: UInt8, requestID: UInt32, flags: UInt8 = 0, payload: ByteBuffer) {
        self.rawType = rawType
        self.flags = flags
        self.requestID = requestID
        self.payload = payload
    }

    /// The type, or nil for a type byte this version does not define.
    public var type: FrameType? { FrameType(rawValue: rawType) }

    /// Appends header and payload to `buffer`.
    public func write(to buffer: inout ByteBuffer) {
        Self.writeHeader(type: rawType, flags: flags, requestID: requestID, payloadLength: payload.readableBytes, to: &buffer)
        var p = payload
        buffer.writeBuffer(&p)
    }

    /// Appends a header for a payload of `payloadLength` bytes.
    public static func writeHeader(type: UInt8, flags: UInt8 = 0, requestID: UInt32, payloadLength: Int, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(payloadLength))
        buffer.writeInteger(type)
        buffer.writeInteger(flags)
        buffer.writeInteger(requestID)
    }

    /// Appends a whole frame whose payload is the MessagePack encoding of `value`.
    public static func write(type: FrameType, requestID: UInt32, value: Value, to buffer: inout ByteBuffer) {
        let bytes = MessagePack.encode(value)
        writeHeader(type: type.rawValue, requestID: requestID, payloadLength: bytes.count, to: &buffer)
        buffer.writeBytes(bytes)
    }

    /// The payload decoded as one MessagePack value; an empty payload is `null`.
    ///
    /// - Throws: `MALFORMED_MESSAGEPACK`.
    public func decodePayload(limits: DecodingLimits = .default) throws -> Value {
        guard payload.readableBytes > 0 else { return .null }
        return try payload.withUnsafeReadableBytes { try MessagePack.decode($0, limits: limits) }
    }
}
