import EngramCore
import EngramFunctions
import EngramProtocol
import EngramStorage
import Logging

/// Who a connection authenticated as.
struct Session: Sendable {
    /// What the key may do (admin on an open server).
    var role: Role
    /// The key's id, or nil on an open server.
    var keyId: String?
    /// The caller handed to functions (tenant binding).
    var caller: Caller
    /// The rate-limit bucket.
    var bucket: String { keyId ?? "" }
}

/// Runs requests for connections: authentication, authorisation, function calls,
/// error mapping, metrics and the slow-request log. Shared by every connection.
final class RequestDispatcher: Sendable {
    let database: Database
    let registry: FunctionRegistry
    let system: FunctionRegistry
    let keys: ApiKeyStore
    let metrics: ServerMetrics
    let settings: CatalogueSettings
    let clock: any WallClock
    let logger: Logger
    let slowNanoseconds: Int64
    let rateLimiter: RateLimiter?
    let loopback: Bool

    init(
        database: Database, registry: FunctionRegistry, keys: ApiKeyStore, metrics: ServerMetrics, configuration: ServerConfiguration,
        logger: Logger
    ) throws {
        self.database = database
        self.registry = registry
        self.system = try SystemFunctions.registry(keys: keys)
        self.keys = keys
        self.metrics = metrics
        self.settings = configuration.catalogue
        self.clock = configuration.storage.clock
        self.logger = RequestContext.attach(to: logger)
        self.slowNanoseconds = Int64(configuration.slowRequestMilliseconds) * 1_000_000
        self.loopback = isLoopback(configuration.host)
        self.rateLimiter = configuration.limits.rateLimitPerSecond.map {
            RateLimiter(rate: $0, burst: configuration.limits.rateLimitBurst)
        }
    }

    /// The session for a `hello`. Throws `UNAUTHENTICATED` for a missing or wrong key
    /// when keys exist; an open server (no keys, loopback address) makes every client an
    /// unbound admin. A server on another address whose last key was revoked stays
    /// closed rather than becoming open.
    func authenticate(_ hello: HelloRequest) throws -> Session {
        guard keys.hasKeys || !loopback else { return Session(role: .admin, keyId: nil, caller: .unbound) }
        guard let key = hello.apiKey else { throw EngramError(.unauthenticated, "this server requires an API key") }
        guard let record = keys.authenticate(key) else { throw EngramError(.unauthenticated, "the API key is not valid") }
        return Session(role: record.role, keyId: record.keyId, caller: Caller(tenantId: record.tenantId))
    }

    /// Checks, before a request runs, that the session's key is still current and within
    /// its rate limit. Throws `UNAUTHENTICATED` or `RATE_LIMITED`.
    func admit(_ session: Session) throws {
        if let id = session.keyId, !keys.isCurrent(keyId: id) {
            throw EngramError(.unauthenticated, "the API key has been revoked")
        }
        if let limiter = rateLimiter, !limiter.allow(session.bucket) {
            throw EngramError(.rateLimited, "the request rate of this key is above its limit; retry later")
        }
    }

    /// Runs a `call`. Never throws: failures become error payloads.
    func call(_ request: CallRequest, session: Session, requestID: String) async -> Result<Value, ErrorPayload> {
        await RequestContext.$requestID.withValue(requestID) { await run(request, session: session) }
    }

    private func run(_ request: CallRequest, session: Session) async -> Result<Value, ErrorPayload> {
        let start = ContinuousClock.now
        let log = logger
        let isSystem = system.declaration(named: request.function) != nil
        let declaration = isSystem ? system.declaration(named: request.function) : registry.declaration(named: request.function)
        let label = declaration == nil ? "unknown" : request.function
        let result: Result<Value, ErrorPayload>
        do {
            if isSystem, session.role != .admin {
                throw EngramError(.permissionDenied, "only an admin key may call \(request.function)")
            }
            if let d = declaration, d.kind != .query, session.role == .readonly {
                throw EngramError(.permissionDenied, "a readonly key may not call the \(d.kind.rawValue) \(request.function)")
            }
            let context = FunctionContext(
                database: database, now: clock.nowMilliseconds(), caller: session.caller, settings: settings, logger: log)
            result = .success(try await (isSystem ? system : registry).call(request.function, arguments: request.args, context: context))
        } catch let e as EngramError {
            result = .failure(ErrorPayload(code: e.code.rawValue, message: e.message, data: !isSystem && e.isCoded ? .string(e.code.rawValue) : nil, details: e.details))
        } catch is CancellationError {
            result = .failure(ErrorPayload(EngramError(.deadlineExceeded, "the request was cancelled at its deadline")))
        } catch {
            log.error("function threw a non-Engram error", metadata: ["function": "\(request.function)", "error": "\(error)"])
            result = .failure(ErrorPayload(code: EngramError.Code.internal.rawValue, message: "\(error)"))
        }
        let elapsed = ContinuousClock.now - start
        let nanos = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        metrics.request(label, nanoseconds: nanos)
        if case .failure(let e) = result { metrics.error(e.code) }
        if nanos >= slowNanoseconds {
            log.warning(
                "slow request", metadata: ["function": "\(request.function)", "milliseconds": "\(nanos / 1_000_000)"])
        }
        return result
    }

    /// Answers `query` text: the query language is not implemented yet.
    func query(_ request: QueryRequest) -> ErrorPayload {
        metrics.request("query", nanoseconds: 0)
        metrics.error(EngramError.Code.notImplemented.rawValue)
        return ErrorPayload(
            code: EngramError.Code.notImplemented.rawValue,
            message: "the query language is not implemented yet; call a function instead")
    }
}

/// The request id of the call a task is running, added to every log line the call's
/// logger writes (through a metadata provider, so setting it costs no formatting).
enum RequestContext {
    @TaskLocal static var requestID: String?

    /// `logger` with the `request-id` metadata provider added to its own.
    static func attach(to logger: Logger) -> Logger {
        var l = logger
        let provider = Logger.MetadataProvider { requestID.map { ["request-id": .string($0)] } ?? [:] }
        l.handler.metadataProvider = .multiplex([l.handler.metadataProvider, provider].compactMap { $0 })
        return l
    }
}
