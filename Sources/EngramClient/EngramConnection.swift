import EngramCore
import EngramProtocol
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One connection to an Engram server, safe to share between tasks.
///
/// Requests are pipelined: any number may be outstanding, each answered when the
/// server finishes it (answers match requests by id, in whatever order they come).
/// Requests issued together are written together (one flush per event-loop tick).
/// When the connection closes, every outstanding request fails with
/// `CONNECTION_CLOSED`; the connection does not reconnect (``EngramClient`` does not
/// either: make a new one).
public final class EngramConnection: Sendable {
    private let channel: Channel
    private let state: Mutex<State>

    /// The role the server granted (`admin`, `readwrite`, `readonly`).
    public var role: String { state.withLock { $0.role } }
    /// The tenant the key is bound to, if any.
    public var tenantId: String? { state.withLock { $0.tenantId } }

    private struct State {
        var nextID: UInt32 = 1
        var waiting: [UInt32: CheckedContinuation<Frame, Error>] = [:]
        var outbox: ByteBuffer
        var flushScheduled = false
        var closedError: EngramError?
        var role = ""
        var tenantId: String?
    }

    private init(channel: Channel) {
        self.channel = channel
        self.state = Mutex(State(outbox: channel.allocator.buffer(capacity: 4096)))
    }

    /// Connects, negotiates the protocol version and authenticates.
    ///
    /// - Parameters:
    ///   - tlsConfiguration: overrides the TLS settings for `engrams://` endpoints
    ///     (e.g. a private CA); ignored for plain endpoints.
    /// - Throws: connection errors; `UNSUPPORTED_VERSION`; the server's `UNAUTHENTICATED`,
    ///   `TOO_MANY_CONNECTIONS` or `SHUTTING_DOWN`.
    public static func connect(
        to endpoint: EngramEndpoint, clientName: String = "engram-swift", tlsConfiguration: TLSConfiguration? = nil,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> EngramConnection {
        let ssl: NIOSSLContext? =
            endpoint.tls ? try NIOSSLContext(configuration: tlsConfiguration ?? .makeClientConfiguration()) : nil
        let loop = group.next()
        let preamble = loop.makePromise(of: Preamble.self)
        let router = ResponseRouter(preamble: preamble)
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if let ssl {
                            let name = endpoint.host.first?.isLetter == true ? endpoint.host : nil
                            try sync.addHandler(try NIOSSLClientHandler(context: ssl, serverHostname: name))
                        }
                        try sync.addHandler(ByteToMessageHandler(FrameDecoder(maxPayloadBytes: Int(UInt32.max))))
                        try sync.addHandler(router)
                    }
                }
                .connect(host: endpoint.host, port: endpoint.port).get()
        } catch {
            preamble.fail(error)  // the channel never existed, so nothing else completes it
            throw error
        }
        var hello = channel.allocator.buffer(capacity: Preamble.size)
        Preamble(ProtocolVersion.minimum, ProtocolVersion.maximum).write(to: &hello)
        try await channel.writeAndFlush(hello)
        let answer = try await preamble.futureResult.get()
        guard answer.first != 0 else {
            try? await channel.close()
            throw EngramError(
                .unsupportedVersion,
                "the server speaks protocol versions up to \(answer.second); this client speaks \(ProtocolVersion.minimum)–\(ProtocolVersion.maximum)")
        }
        let connection = EngramConnection(channel: channel)
        router.attach(connection)
        do {
            let reply = try await connection.send(.hello, HelloRequest(apiKey: endpoint.apiKey, client: clientName).value)
            connection.state.withLock {
                $0.role = reply["role"]?.stringValue ?? ""
                $0.tenantId = reply["tenantId"]?.stringValue
            }
        } catch {
            try? await channel.close()
            throw error
        }
        return connection
    }

    /// Calls function `name` with `args` and returns its result.
    ///
    /// - Throws: the function's or server's `EngramError` (code, message, details).
    public func call(_ name: String, _ args: ValueMap = [:], timeoutMs: Int? = nil) async throws -> Value {
        try await send(.call, CallRequest(function: name, args: args, timeoutMs: timeoutMs).value)
    }

    /// Runs query-language text with named parameters.
    public func query(_ text: String, _ params: ValueMap = [:]) async throws -> Value {
        try await send(.query, QueryRequest(text: text, params: params).value)
    }

    /// A round trip with an empty payload.
    public func ping() async throws {
        _ = try await request(.ping, payload: [])
    }

    /// Sends any request frame and returns the answer's decoded payload.
    ///
    /// - Throws: the error frame's `EngramError`, or `CONNECTION_CLOSED`.
    public func send(_ type: FrameType, _ payload: Value) async throws -> Value {
        let frame = try await request(type, payload: MessagePack.encode(payload))
        return try frame.decodePayload(limits: DecodingLimits(maxDepth: 128, maxInputBytes: Int(UInt32.max)))
    }

    /// Sends a raw request and returns the answering frame (a `result` or `pong`).
    public func request(_ type: FrameType, payload: [UInt8]) async throws -> Frame {
        let frame: Frame = try await withCheckedThrowingContinuation { continuation in
            let scheduleFlush = state.withLock { s -> Bool in
                if let e = s.closedError {
                    continuation.resume(throwing: e)
                    return false
                }
                let id = s.nextID
                s.nextID = s.nextID == UInt32.max ? 1 : s.nextID + 1
                s.waiting[id] = continuation
                Frame.writeHeader(type: type.rawValue, requestID: id, payloadLength: payload.count, to: &s.outbox)
                s.outbox.writeBytes(payload)
                defer { s.flushScheduled = true }
                return !s.flushScheduled
            }
            if scheduleFlush { channel.eventLoop.execute { self.flushOutbox() } }
        }
        if frame.type == .error {
            let payload = try ErrorPayload(value: try frame.decodePayload())
            throw payload.error
        }
        return frame
    }

    /// Closes the connection; outstanding requests fail with `CONNECTION_CLOSED`.
    public func close() async {
        try? await channel.close()
    }

    private func flushOutbox() {
        let buffer = state.withLock { s -> ByteBuffer in
            s.flushScheduled = false
            let b = s.outbox
            s.outbox = channel.allocator.buffer(capacity: 4096)
            return b
        }
        if buffer.readableBytes > 0 { channel.writeAndFlush(buffer, promise: nil) }
    }

    /// Called on the event loop with each answer.
    fileprivate func receive(_ frame: Frame) {
        if frame.type == .push { return }  // reserved for subscriptions; version 1 ignores it
        if frame.requestID == 0 && frame.type == .error {
            let e = (try? ErrorPayload(value: try frame.decodePayload()).error) ?? EngramError(.connectionClosed, "connection error")
            failAll(e)
            return
        }
        let c = state.withLock { $0.waiting.removeValue(forKey: frame.requestID) }
        c?.resume(returning: frame)
    }

    /// Fails every outstanding request, and every later one, with `error`.
    fileprivate func failAll(_ error: EngramError) {
        let waiting = state.withLock { s -> [CheckedContinuation<Frame, Error>] in
            if s.closedError == nil { s.closedError = error }
            defer { s.waiting = [:] }
            return Array(s.waiting.values)
        }
        for c in waiting { c.resume(throwing: error) }
    }
}

/// Routes frames of one channel to its ``EngramConnection``.
private final class ResponseRouter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ProtocolMessage

    let preamble: EventLoopPromise<Preamble>
    private let state = Mutex<(connection: EngramConnection?, early: [Frame], closed: Bool)>((nil, [], false))

    init(preamble: EventLoopPromise<Preamble>) {
        self.preamble = preamble
    }

    /// Routes frames to `connection`, first those that arrived before it existed.
    func attach(_ connection: EngramConnection) {
        let (early, closed) = state.withLock { s in
            s.connection = connection
            defer { s.early = [] }
            return (s.early, s.closed)
        }
        for f in early { connection.receive(f) }
        if closed { connection.failAll(EngramError(.connectionClosed, "the connection is closed")) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .preamble(let p): preamble.succeed(p)
        case .frame(let f):
            let c = state.withLock { s -> EngramConnection? in
                if s.connection == nil { s.early.append(f) }
                return s.connection
            }
            c?.receive(f)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        preamble.fail(EngramError(.connectionClosed, "the server closed the connection"))
        let c = state.withLock { s -> EngramConnection? in
            s.closed = true
            return s.connection
        }
        c?.failAll(EngramError(.connectionClosed, "the connection is closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let e = error as? EngramError ?? EngramError(.connectionClosed, "connection error: \(error)")
        state.withLock { $0.connection }?.failAll(e)
        context.close(promise: nil)
    }
}
