import EngramCore
import EngramProtocol
import NIOCore

/// One client connection: handshake, authentication, then pipelined requests answered
/// as they finish (out of order), with per-request deadlines and backpressure.
///
/// Runs on the channel's event loop. Answers produced during one read are written
/// together and flushed once when the read completes; answers of finished calls are
/// flushed in batches on the next loop tick.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ProtocolMessage
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case preamble
        case hello
        case ready(Session)
        case closing
    }

    private struct Pending {
        let sequence: UInt64
        var task: Task<Void, Never>?
        let deadline: NIODeadline
        let timeoutMs: Int
    }

    private let dispatcher: RequestDispatcher
    private let tracker: ConnectionTracker
    private let limits: ServerLimits
    private var state = State.preamble
    private var context: ChannelHandlerContext?
    private var out = ByteBuffer()
    private var connectionID: UInt64 = 0
    private var overLimit = false
    private var flushScheduled = false
    private var pending: [UInt32: Pending] = [:]
    private var sequence: UInt64 = 0
    private var running = 0
    private var draining = false
    private var readHeld = false
    /// One timer per connection, due at the earliest pending deadline (a timer per
    /// request would cost a heap insertion and a linear-time cancel each).
    private var deadlineTimer: (at: NIODeadline, task: Scheduled<Void>)?

    init(dispatcher: RequestDispatcher, tracker: ConnectionTracker, limits: ServerLimits) {
        self.dispatcher = dispatcher
        self.tracker = tracker
        self.limits = limits
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        out = context.channel.allocator.buffer(capacity: 4096)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        let (id, accepted, draining) = tracker.add(context.channel)
        connectionID = id
        overLimit = !accepted
        self.draining = draining
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        tracker.remove(context.channel)
        deadlineTimer?.task.cancel()
        deadlineTimer = nil
        pending = [:]
        state = .closing
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.preamble(let p), .preamble):
            handshake(p)
        case (.frame(let f), .hello):
            hello(f)
        case (.frame(let f), .ready(let session)):
            request(f, session)
        case (_, .closing):
            return
        case (.preamble, _), (.frame, .preamble):
            close(with: EngramError(.protocolError, "unexpected preamble"), requestID: 0)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if case .preamble = state {
            context.close(promise: nil)
        } else if let e = error as? EngramError {
            close(with: e, requestID: 0)
        } else {
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else { return context.fireUserInboundEventTriggered(event) }
        draining = true
        switch state {
        case .ready: closeIfDrained()
        case .closing: break
        case .preamble, .hello: context.close(promise: nil)
        }
    }

    func read(context: ChannelHandlerContext) {
        if running >= limits.maxInFlightPerConnection {
            readHeld = true
        } else {
            context.read()
        }
    }

    // MARK: Protocol steps

    private func handshake(_ p: Preamble) {
        let version = ProtocolVersion.negotiate(clientMin: p.first, clientMax: p.second)
        Preamble(version ?? 0, ProtocolVersion.maximum).write(to: &out)
        guard version != nil else {
            state = .closing
            return closeAfterWrites()
        }
        if overLimit {
            return close(with: EngramError(.tooManyConnections, "the server has reached its connection limit"), requestID: 0)
        }
        if draining { return close(with: EngramError(.shuttingDown, "the server is shutting down"), requestID: 0) }
        state = .hello
    }

    private func hello(_ frame: Frame) {
        guard frame.type == .hello else {
            return close(with: EngramError(.protocolError, "the first frame must be hello"), requestID: frame.requestID)
        }
        do {
            let session = try dispatcher.authenticate(try HelloRequest(value: try frame.decodePayload()))
            var reply: ValueMap = [
                "version": .int(Int64(ProtocolVersion.maximum)), "server": "engram", "role": .string(session.role.rawValue),
                "maxFrameBytes": .int(Int64(limits.maxFrameBytes)),
            ]
            if let t = session.caller.tenantId { reply["tenantId"] = .string(t) }
            Frame.write(type: .result, requestID: frame.requestID, value: .map(reply), to: &out)
            state = .ready(session)
        } catch {
            close(with: error as? EngramError ?? EngramError(.internal, "\(error)"), requestID: frame.requestID)
        }
    }

    private func request(_ frame: Frame, _ session: Session) {
        let id = frame.requestID
        switch frame.type {
        case .ping?:
            Frame.writeHeader(type: FrameType.pong.rawValue, requestID: id, payloadLength: frame.payload.readableBytes, to: &out)
            var payload = frame.payload
            out.writeBuffer(&payload)
        case .call?, .query?, .cursorNext?, .cursorClose?:
            do {
                guard !draining else { throw EngramError(.shuttingDown, "the server is shutting down") }
                guard pending[id] == nil else { throw EngramError(.protocolError, "request id \(id) is already in flight") }
                let payload = try frame.decodePayload()
                try dispatcher.admit(session)
                switch frame.type {
                case .call?: start(try CallRequest(value: payload), id: id, session: session)
                case .query?: answer(id, .failure(dispatcher.query(try QueryRequest(value: payload))))
                case .cursorNext?:
                    let c = try CursorRequest(value: payload)
                    throw EngramError(.invalidCursor, "no open cursor \(c.cursor) on this connection")
                default:
                    _ = try CursorRequest(value: payload)
                    answer(id, .success(.null))
                }
            } catch {
                fail(id, error)
            }
        case .hello?:
            fail(id, EngramError(.protocolError, "this connection has already said hello"))
        default:
            fail(id, EngramError(.unknownOperation, "frame type 0x\(String(frame.rawType, radix: 16)) is not a request"))
        }
    }

    // MARK: Calls

    private func start(_ call: CallRequest, id: UInt32, session: Session) {
        guard let context else { return }
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let dispatcher = self.dispatcher
        let rid = "\(connectionID)-\(id)"
        sequence += 1
        let seq = sequence
        running += 1
        let timeout = min(call.timeoutMs.map { max(1, $0) } ?? limits.requestTimeoutMilliseconds, limits.requestTimeoutMilliseconds)
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout))
        pending[id] = Pending(sequence: seq, task: nil, deadline: deadline, timeoutMs: timeout)
        let body: @Sendable () async -> Void = {
            let result = await dispatcher.call(call, session: session, requestID: rid)
            if loop.inEventLoop {
                bound.value.finish(id, seq, result)
            } else {
                loop.execute { bound.value.finish(id, seq, result) }
            }
        }
        // Started on this event loop, a call that never suspends (most reads) completes
        // here without a thread hop; one that suspends resumes on the global executor.
        let task = limits.startCallsOnEventLoop ? Task.immediate(operation: body) : Task(operation: body)
        if pending[id]?.sequence == seq { pending[id]?.task = task }
        armTimer(at: deadline)
    }

    private func armTimer(at deadline: NIODeadline) {
        if let current = deadlineTimer, current.at <= deadline { return }
        guard let context else { return }
        deadlineTimer?.task.cancel()
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            deadlineTimer = nil
            expireOverdue()
        }
        deadlineTimer = (deadline, task)
    }

    private func finish(_ id: UInt32, _ seq: UInt64, _ result: Result<Value, ErrorPayload>) {
        running -= 1
        if let p = pending[id], p.sequence == seq {
            pending[id] = nil
            answer(id, result)
            scheduleFlush()
        }
        if readHeld, running < limits.maxInFlightPerConnection, let context {
            readHeld = false
            context.read()
        }
        closeIfDrained()
    }

    /// Answers every request past its deadline with `DEADLINE_EXCEEDED` and re-arms the
    /// timer for the earliest remaining one.
    private func expireOverdue() {
        let now = NIODeadline.now()
        var earliest: NIODeadline?
        for (id, p) in pending {
            if p.deadline <= now {
                pending[id] = nil
                p.task?.cancel()
                let e = EngramError(
                    .deadlineExceeded, "the request did not finish within \(p.timeoutMs) ms; a mutation may still commit")
                dispatcher.metrics.error(e.code.rawValue)
                answer(id, .failure(ErrorPayload(e)))
            } else if earliest.map({ p.deadline < $0 }) ?? true {
                earliest = p.deadline
            }
        }
        scheduleFlush()
        if let earliest { armTimer(at: earliest) }
    }

    // MARK: Writing

    private func answer(_ id: UInt32, _ result: Result<Value, ErrorPayload>) {
        guard case .ready = state else { return }
        switch result {
        case .success(let v): Frame.write(type: .result, requestID: id, value: v, to: &out)
        case .failure(let e): Frame.write(type: .error, requestID: id, value: e.value, to: &out)
        }
    }

    private func fail(_ id: UInt32, _ error: Error) {
        let e = error as? EngramError ?? EngramError(.internal, "\(error)")
        dispatcher.metrics.error(e.code.rawValue)
        answer(id, .failure(ErrorPayload(e)))
    }

    private func flush() {
        guard out.readableBytes > 0, let context else { return }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        out = context.channel.allocator.buffer(capacity: 4096)
    }

    private func scheduleFlush() {
        guard !flushScheduled, let context else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            flush()
        }
    }

    /// Sends a connection-level error (request id 0 unless the failing request is known) and closes.
    private func close(with error: EngramError, requestID: UInt32) {
        if case .closing = state { return }
        dispatcher.metrics.error(error.code.rawValue)
        Frame.write(type: .error, requestID: requestID, value: ErrorPayload(error).value, to: &out)
        state = .closing
        closeAfterWrites()
    }

    private func closeIfDrained() {
        guard draining, running == 0, case .ready = state else { return }
        state = .closing
        closeAfterWrites()
    }

    private func closeAfterWrites() {
        guard let context else { return }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in channel.close(promise: nil) }
        out = context.channel.allocator.buffer(capacity: 0)
    }
}
