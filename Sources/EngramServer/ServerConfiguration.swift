import EngramCore
import EngramFunctions
import EngramStorage

/// Everything `engram serve` can be told; every field has a working default.
public struct ServerConfiguration: Sendable {
    /// The default port of the wire protocol.
    public static let defaultPort = 7717
    /// The default port of the admin HTTP endpoints.
    public static let defaultAdminPort = 7718

    /// Address to listen on. Without API keys only a loopback address is accepted.
    public var host = "127.0.0.1"
    /// Port of the wire protocol; 0 picks a free one (see ``EngramServer/port``).
    public var port = ServerConfiguration.defaultPort
    /// Port of `/health`, `/ready`, `/metrics`; nil disables the admin server; 0 picks one.
    public var adminPort: Int? = ServerConfiguration.defaultAdminPort
    /// Address of the admin server (loopback unless told otherwise).
    public var adminHost = "127.0.0.1"
    /// The database directory.
    public var dataPath = "./data"
    /// Collections to declare besides the server's own (`apiKeys`).
    public var collections: [CollectionSchema] = []
    /// Storage options (shard count, index kinds, clock). The server adds its commit observer.
    public var storage = StorageOptions()
    /// Settings handed to every function.
    public var catalogue = CatalogueSettings()
    /// Limits.
    public var limits = ServerLimits()
    /// TLS for the wire protocol, or nil for plain TCP.
    public var tls: TLSFiles?
    /// Requests slower than this are logged at `warning` level.
    public var slowRequestMilliseconds = 1000
    /// `/ready` fails while the data directory's file system has less free space.
    public var minFreeDiskBytes: UInt64 = 256 << 20
    /// Threads of the network event loops (default: one per core).
    public var eventLoopThreads: Int?

    /// The defaults.
    public init() {}
}

/// Limits that protect the server from its clients.
public struct ServerLimits: Sendable {
    /// Largest frame payload accepted, in bytes; a larger frame closes the connection.
    public var maxFrameBytes = 32 << 20
    /// Most open connections; the next one is told `TOO_MANY_CONNECTIONS` and closed.
    public var maxConnections = 1024
    /// Most requests in flight per connection; beyond it the server stops reading
    /// from that connection until answers go out (backpressure).
    public var maxInFlightPerConnection = 256
    /// Deadline of every request, in milliseconds; a request may ask for less.
    public var requestTimeoutMilliseconds = 30_000
    /// Requests per second allowed per API key (token bucket), or nil for no limit.
    public var rateLimitPerSecond: Double?
    /// Burst of the token bucket (default: one second's worth, at least 1).
    public var rateLimitBurst: Double?
    /// Start each call on its connection's event loop (true), so a call that never
    /// suspends runs without a thread hop; or always on the global executor (false),
    /// so a long synchronous function never delays other connections on its loop.
    public var startCallsOnEventLoop = true
    /// How long shutdown waits for in-flight requests before closing anyway.
    public var drainTimeoutMilliseconds = 30_000

    /// The defaults.
    public init() {}
}

/// PEM files for TLS.
public struct TLSFiles: Sendable {
    /// The certificate chain (leaf first).
    public var certificatePath: String
    /// The private key.
    public var privateKeyPath: String

    /// TLS files.
    public init(certificatePath: String, privateKeyPath: String) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}

/// Whether `host` names a loopback address (127.0.0.0/8, ::1, localhost).
public func isLoopback(_ host: String) -> Bool {
    host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
}
