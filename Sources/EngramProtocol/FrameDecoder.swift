import EngramCore
import NIOCore

/// What a ``FrameDecoder`` produces: the peer's preamble once, then frames.
public enum ProtocolMessage: Sendable {
    /// The peer's 8-byte preamble.
    case preamble(Preamble)
    /// One frame.
    case frame(Frame)
}

/// Splits a byte stream into the peer's preamble and then frames.
///
/// Throws (which closes the connection after the error is reported) `PROTOCOL_ERROR`
/// when the preamble's magic is wrong, and `FRAME_TOO_LARGE` when a header announces a
/// payload above `maxPayloadBytes` — before any of that payload is buffered.
public struct FrameDecoder: ByteToMessageDecoder {
    /// Preambles and frames.
    public typealias InboundOut = ProtocolMessage

    private var awaitingPreamble: Bool
    private let maxPayloadBytes: Int

    /// A decoder; `expectPreamble` is true on both sides of a fresh connection.
    public init(maxPayloadBytes: Int, expectPreamble: Bool = true) {
        self.maxPayloadBytes = maxPayloadBytes
        self.awaitingPreamble = expectPreamble
    }

    /// Emits the preamble (first) or one frame per complete frame in `buffer`.
    ///
    /// - Throws: `PROTOCOL_ERROR` for a wrong magic, `FRAME_TOO_LARGE` for an oversize header.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if awaitingPreamble {
            guard buffer.readableBytes >= Preamble.size else {
                // Reject a wrong magic as soon as its first bytes arrive.
                let seen = buffer.readableBytesView.prefix(4)
                guard seen.elementsEqual(Preamble.magic.prefix(seen.count)) else { throw Self.badMagic() }
                return .needMoreData
            }
            guard buffer.readableBytesView.prefix(4).elementsEqual(Preamble.magic) else { throw Self.badMagic() }
            buffer.moveReaderIndex(forwardBy: 4)
            // Both reads are within the 8 bytes checked above.
            let first: UInt16 = buffer.readInteger()!  // length checked above
            let second: UInt16 = buffer.readInteger()!  // length checked above
            awaitingPreamble = false
            context.fireChannelRead(Self.wrapInboundOut(.preamble(Preamble(first, second))))
            return .continue
        }
        guard buffer.readableBytes >= Frame.headerSize else { return .needMoreData }
        let start = buffer.readerIndex
        let length = Int(buffer.getInteger(at: start, as: UInt32.self)!)  // header length checked above
        guard length <= maxPayloadBytes else {
            throw EngramError(
                .frameTooLarge, "a frame announces \(length) payload bytes; the limit is \(maxPayloadBytes)",
                details: ["limit": .int(Int64(maxPayloadBytes)), "announced": .int(Int64(length))])
        }
        guard buffer.readableBytes >= Frame.headerSize + length else { return .needMoreData }
        let type = buffer.getInteger(at: start + 4, as: UInt8.self)!  // header length checked above
        let flags = buffer.getInteger(at: start + 5, as: UInt8.self)!  // header length checked above
        let id = buffer.getInteger(at: start + 6, as: UInt32.self)!  // header length checked above
        buffer.moveReaderIndex(forwardBy: Frame.headerSize)
        let payload = buffer.readSlice(length: length)!  // length checked above
        context.fireChannelRead(Self.wrapInboundOut(.frame(Frame(rawType: type, requestID: id, flags: flags, payload: payload))))
        return .continue
    }

    /// Emits what is complete at end of stream; a partial frame is dropped.
    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    private static func badMagic() -> EngramError {
        EngramError(.protocolError, "the connection did not start with the Engram preamble (ENGR)")
    }
}

/// Error codes of the wire protocol and the server.
extension EngramError.Code {
    /// The peer broke the protocol (bad preamble, frame before hello, …).
    public static let protocolError: Self = "PROTOCOL_ERROR"
    /// A frame's payload exceeds the receiver's limit.
    public static let frameTooLarge: Self = "FRAME_TOO_LARGE"
    /// The frame type is not a request this server knows.
    public static let unknownOperation: Self = "UNKNOWN_OPERATION"
    /// No version in common.
    public static let unsupportedVersion: Self = "UNSUPPORTED_VERSION"
    /// The API key is missing, unknown or revoked.
    public static let unauthenticated: Self = "UNAUTHENTICATED"
    /// The key's role does not allow this operation.
    public static let permissionDenied: Self = "PERMISSION_DENIED"
    /// The key's request budget is spent; retry later.
    public static let rateLimited: Self = "RATE_LIMITED"
    /// The request did not finish within its deadline.
    public static let deadlineExceeded: Self = "DEADLINE_EXCEEDED"
    /// The server has too many connections.
    public static let tooManyConnections: Self = "TOO_MANY_CONNECTIONS"
    /// The server is shutting down and takes no new requests.
    public static let shuttingDown: Self = "SHUTTING_DOWN"
    /// The connection closed before the answer arrived (client side).
    public static let connectionClosed: Self = "CONNECTION_CLOSED"
}
