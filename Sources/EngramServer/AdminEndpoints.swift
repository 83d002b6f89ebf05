import EngramStorage
import NIOCore
import NIOHTTP1
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What the admin HTTP port answers: `/health`, `/ready`, `/metrics`.
struct AdminEndpoints: Sendable {
    let database: Database
    let metrics: ServerMetrics
    let phase: ServerPhase
    let minFreeDiskBytes: UInt64

    /// Status, content type and body for `GET path`.
    func respond(to path: String) -> (HTTPResponseStatus, String, [UInt8]) {
        switch path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path {
        case "/health":
            return (.ok, "text/plain", Array("ok\n".utf8))
        case "/ready":
            let problems = readinessProblems()
            return problems.isEmpty
                ? (.ok, "text/plain", Array("ready\n".utf8))
                : (.serviceUnavailable, "text/plain", Array((problems.joined(separator: "\n") + "\n").utf8))
        case "/metrics":
            return (.ok, "text/plain; version=0.0.4", metrics.render(database: database))
        default:
            return (.notFound, "text/plain", Array("not found\n".utf8))
        }
    }

    /// Why the server is not ready (empty when it is): not running, a shard that
    /// cannot open a read transaction, or too little free disk.
    func readinessProblems() -> [String] {
        var problems: [String] = []
        if !phase.isRunning { problems.append("the server is shutting down") }
        for shard in database.shards {
            do { try shard.read { _ in } } catch { problems.append("shard \(shard.index) is not open: \(error)") }
        }
        var fs = statvfs()
        if statvfs(database.path, &fs) == 0 {
            let free = UInt64(fs.f_bavail) * UInt64(fs.f_frsize)
            if free < minFreeDiskBytes {
                problems.append("free disk \(free) bytes is below the threshold of \(minFreeDiskBytes)")
            }
        } else {
            problems.append("cannot read free disk space of \(database.path)")
        }
        return problems
    }
}

/// Whether the server takes new work.
final class ServerPhase: Sendable {
    private let running = Atomic<Bool>(true)
    var isRunning: Bool { running.load(ordering: .acquiring) }
    /// Marks the server as stopping; true for the first caller only.
    func stop() -> Bool { running.exchange(false, ordering: .acquiringAndReleasing) }
}

/// Serves ``AdminEndpoints`` over HTTP/1.1 (GET only).
final class AdminHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let endpoints: AdminEndpoints
    private var head: HTTPRequestHead?

    init(endpoints: AdminEndpoints) {
        self.endpoints = endpoints
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
        case .body:
            break
        case .end:
            guard let h = head else { return }
            head = nil
            let (status, type, body) =
                h.method == .GET ? endpoints.respond(to: h.uri) : (.methodNotAllowed, "text/plain", Array("GET only\n".utf8))
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: type)
            headers.add(name: "Content-Length", value: "\(body.count)")
            let keepAlive = h.isKeepAlive
            headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { channel.close(promise: nil) }
            }
        }
    }
}
