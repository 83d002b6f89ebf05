import EngramCore
import EngramFunctions
import EngramProtocol
import EngramStorage
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// The Engram server: opens the database, serves the wire protocol and the admin
/// HTTP endpoints, and shuts down gracefully.
///
/// Use ``start(configuration:registry:logger:)``, then either run it as a
/// swift-service-lifecycle `Service` (``run()`` returns after a graceful shutdown,
/// triggered by SIGTERM in a `ServiceGroup`) or call ``shutdown()`` directly.
///
/// Shutdown stops accepting connections, answers new requests with `SHUTTING_DOWN`,
/// lets every in-flight request finish and its answer go out, closes the
/// connections and finally closes the database: a write that was acknowledged is
/// durable, and no write is cut off half-way.
public final class EngramServer: Service, Sendable {
    /// The configuration it was started with.
    public let configuration: ServerConfiguration
    /// The open database.
    public let database: Database
    /// The API keys.
    public let keys: ApiKeyStore
    /// The metrics `/metrics` renders.
    public let metrics: ServerMetrics
    /// The port the wire protocol listens on (the real one when configured as 0).
    public let port: Int
    /// The admin HTTP port, or nil when disabled.
    public let adminPort: Int?

    private let serverChannel: Channel
    private let adminChannel: Channel?
    private let tracker: ConnectionTracker
    private let phase: ServerPhase
    private let logger: Logger
    private let stopped: EventLoopPromise<Void>

    private init(
        configuration: ServerConfiguration, database: Database, keys: ApiKeyStore, metrics: ServerMetrics, serverChannel: Channel,
        adminChannel: Channel?, tracker: ConnectionTracker, phase: ServerPhase, logger: Logger
    ) {
        self.configuration = configuration
        self.database = database
        self.keys = keys
        self.metrics = metrics
        self.serverChannel = serverChannel
        self.adminChannel = adminChannel
        self.port = serverChannel.localAddress?.port ?? configuration.port
        self.adminPort = adminChannel.map { $0.localAddress?.port ?? configuration.adminPort ?? 0 }
        self.tracker = tracker
        self.phase = phase
        self.logger = logger
        self.stopped = serverChannel.eventLoop.makePromise()
    }

    /// Opens the database (declaring `configuration.collections` plus the `apiKeys`
    /// system collection) and starts listening.
    ///
    /// - Parameter registry: the functions `call` reaches (e.g. `Catalogue.registry()`).
    /// - Throws: `INVALID_ARGUMENT` when no API key exists and the host is not a
    ///   loopback address; storage errors from opening the database; bind errors;
    ///   TLS file errors.
    public static func start(configuration: ServerConfiguration, registry: FunctionRegistry, logger: Logger) async throws
        -> EngramServer
    {
        let metrics = ServerMetrics()
        var options = configuration.storage
        let previous = options.commitObserver
        options.commitObserver = { batch in
            metrics.committed(batch)
            previous?(batch)
        }
        let database = try Database.open(
            at: configuration.dataPath, schema: configuration.collections + [ApiKeyStore.schema], options: options)
        do {
            let keys = try ApiKeyStore(database: database)
            if !keys.hasKeys, !isLoopback(configuration.host) {
                throw EngramError(
                    .invalidArgument,
                    "no API keys are configured, so the server is open and may listen on a loopback address only, not \(configuration.host); create a key with `engram keys create --data \(configuration.dataPath) --role admin`, or bind 127.0.0.1")
            }
            let ssl = try configuration.tls.map { files in
                try NIOSSLContext(
                    configuration: .makeServerConfiguration(
                        certificateChain: try NIOSSLCertificate.fromPEMFile(files.certificatePath).map { .certificate($0) },
                        privateKey: .privateKey(try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem))))
            }
            let dispatcher = try RequestDispatcher(
                database: database, registry: registry, keys: keys, metrics: metrics, configuration: configuration, logger: logger)
            let tracker = ConnectionTracker(maxConnections: configuration.limits.maxConnections, metrics: metrics)
            let limits = configuration.limits
            let group = MultiThreadedEventLoopGroup.singleton
            let serverChannel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 16)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if let ssl { try sync.addHandler(NIOSSLServerHandler(context: ssl)) }
                        try sync.addHandler(ByteToMessageHandler(FrameDecoder(maxPayloadBytes: limits.maxFrameBytes)))
                        try sync.addHandler(ConnectionHandler(dispatcher: dispatcher, tracker: tracker, limits: limits))
                    }
                }
                .bind(host: configuration.host, port: configuration.port).get()
            let phase = ServerPhase()
            var adminChannel: Channel?
            if let adminPort = configuration.adminPort {
                let endpoints = AdminEndpoints(
                    database: database, metrics: metrics, phase: phase, minFreeDiskBytes: configuration.minFreeDiskBytes)
                do {
                    adminChannel = try await ServerBootstrap(group: group)
                        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                        .childChannelInitializer { channel in
                            channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                                try channel.pipeline.syncOperations.addHandler(AdminHTTPHandler(endpoints: endpoints))
                            }
                        }
                        .bind(host: configuration.adminHost, port: adminPort).get()
                } catch {
                    try? await serverChannel.close()
                    throw error
                }
            }
            let server = EngramServer(
                configuration: configuration, database: database, keys: keys, metrics: metrics, serverChannel: serverChannel,
                adminChannel: adminChannel, tracker: tracker, phase: phase, logger: logger)
            logger.info(
                "listening",
                metadata: [
                    "host": "\(configuration.host)", "port": "\(server.port)", "admin": "\(server.adminPort.map(String.init) ?? "off")",
                    "tls": "\(configuration.tls != nil)", "auth": "\(keys.hasKeys ? "api keys" : "open (loopback only)")",
                    "data": "\(configuration.dataPath)", "shards": "\(database.shardCount)",
                ])
            return server
        } catch {
            await database.close()
            throw error
        }
    }

    /// Serves until a graceful shutdown is triggered (or ``shutdown()`` is called),
    /// then shuts down and returns.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await gracefulShutdown()
                await self.shutdown()
            }
            group.addTask { try? await self.stopped.futureResult.get() }
            _ = await group.next()
            group.cancelAll()
        }
    }

    /// Shuts down gracefully (see the type's documentation); returns once the database
    /// is closed. Idempotent: later calls wait for the first to finish.
    public func shutdown() async {
        guard phase.stop() else {
            try? await stopped.futureResult.get()
            return
        }
        logger.info("shutting down: refusing new connections, finishing in-flight requests")
        try? await serverChannel.close()
        tracker.drainAll()
        let force = serverChannel.eventLoop.scheduleTask(in: .milliseconds(Int64(configuration.limits.drainTimeoutMilliseconds))) {
            [tracker, logger] in
            logger.warning("drain timeout: closing the remaining connections")
            tracker.closeAll()
        }
        await tracker.waitUntilEmpty()
        force.cancel()
        try? await adminChannel?.close()
        await database.close()
        logger.info("closed cleanly")
        stopped.succeed(())
    }
}
