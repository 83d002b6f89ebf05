import ArgumentParser
import Engram
import EngramServer
import Foundation
import Logging
import ServiceLifecycle

/// `engram serve`: opens the database and serves it until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Open the database and serve it until SIGINT or SIGTERM.",
        discussion: "Flags override the --config file, which overrides the defaults. Without API keys the server is open and listens on loopback only.")

    @Option(help: "JSON configuration file (keys as in the Operations article).") var config: String?
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Wire protocol port (default 7717).") var port: Int?
    @Option(help: "Directory holding the database (default ./data).") var data: String?
    @Option(help: "Shards of a new database (default: one per core, at least 2).") var shards: Int?
    @Option(help: "Admin HTTP port for /health, /ready, /metrics (default 7718; 0 picks a free one).") var adminPort: Int?
    @Flag(help: "Disable the admin HTTP port.") var noAdmin = false
    @Flag(help: "Allow purgeAll and the admin:* clearing functions.") var allowPurge = false
    @Option(help: "TLS certificate chain (PEM).") var tlsCert: String?
    @Option(help: "TLS private key (PEM).") var tlsKey: String?
    @Option(help: "Requests per second per API key (token bucket; default: unlimited).") var rateLimit: Double?
    @Option(help: "Most open connections (default 1024).") var maxConnections: Int?
    @Option(help: "Largest frame payload in bytes (default 32 MiB).") var maxFrameBytes: Int?
    @Option(help: "Per-request deadline in milliseconds (default 30000).") var requestTimeoutMs: Int?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String = "info"
    @Flag(help: .hidden) var probeFunctions = false  // tests only: adds the probe:* functions

    func run() async throws {
        var logger = Logger(label: "engram")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var c = ServerConfiguration()
        if let config { try ServeConfigFile.apply(path: config, to: &c) }
        if let host { c.host = host }
        if let port { c.port = port }
        if let data { c.dataPath = data }
        if let shards { c.storage.shardCount = shards }
        if let adminPort { c.adminPort = adminPort }
        if noAdmin { c.adminPort = nil }
        if allowPurge { c.catalogue.allowPurge = true }
        if let rateLimit { c.limits.rateLimitPerSecond = rateLimit }
        if let maxConnections { c.limits.maxConnections = maxConnections }
        if let maxFrameBytes { c.limits.maxFrameBytes = maxFrameBytes }
        if let requestTimeoutMs { c.limits.requestTimeoutMilliseconds = requestTimeoutMs }
        switch (tlsCert ?? c.tls?.certificatePath, tlsKey ?? c.tls?.privateKeyPath) {
        case (let cert?, let key?): c.tls = TLSFiles(certificatePath: cert, privateKeyPath: key)
        case (nil, nil): break
        default: throw ValidationError("--tls-cert and --tls-key go together")
        }
        c.collections = EngramSchema.collections + (probeFunctions ? [ProbeFunctions.schema] : [])
        c.storage.indexFactories = EngramSchema.indexFactories
        let registry = try FunctionRegistry(Catalogue.functions + (probeFunctions ? ProbeFunctions.declarations : []))
        let server = try await EngramServer.start(configuration: c, registry: registry, logger: logger)
        // Cascades a crash interrupted (e.g. a space deletion) are finished in the background.
        let database = server.database
        Task {
            do {
                let resumed = try await Catalogue.resumePendingJobs(in: database)
                if resumed > 0 { logger.info("resumed interrupted cascade jobs", metadata: ["jobs": "\(resumed)"]) }
            } catch {
                logger.error("resuming cascade jobs failed", metadata: ["error": "\(error)"])
            }
        }
        let group = ServiceGroup(
            configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// The `--config` file: a JSON object whose keys mirror the flags.
///
/// `host`, `port`, `adminHost`, `adminPort` (null disables), `data`, `shards`,
/// `allowPurge`, `tlsCert`, `tlsKey`, `maxConnections`, `maxFrameBytes`,
/// `maxInFlightPerConnection`, `requestTimeoutMs`, `rateLimitPerSecond`,
/// `rateLimitBurst`, `slowRequestMs`, `minFreeDiskBytes`, `drainTimeoutMs`,
/// `startCallsOnEventLoop`, `versionRetention`. An unknown key is an error, so typos surface.
enum ServeConfigFile {
    static func apply(path: String, to c: inout ServerConfiguration) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("cannot read the config file \(path)")
        }
        guard case .map(let m) = try JSONValue.parse(text) else { throw ValidationError("\(path) must hold a JSON object") }
        func int(_ v: Value, _ k: String) throws -> Int {
            guard let d = v.doubleValue, d == d.rounded() else { throw ValidationError("\(k) must be an integer") }
            return Int(d)
        }
        func string(_ v: Value, _ k: String) throws -> String {
            guard case .string(let s) = v else { throw ValidationError("\(k) must be a string") }
            return s
        }
        var cert: String?
        var key: String?
        for (k, v) in m {
            switch k {
            case "host": c.host = try string(v, k)
            case "port": c.port = try int(v, k)
            case "adminHost": c.adminHost = try string(v, k)
            case "adminPort": c.adminPort = v.isNull ? nil : try int(v, k)
            case "data": c.dataPath = try string(v, k)
            case "shards": c.storage.shardCount = try int(v, k)
            case "allowPurge": c.catalogue.allowPurge = v.boolValue ?? false
            case "versionRetention": c.catalogue.versionRetention = v.isNull ? nil : try int(v, k)
            case "tlsCert": cert = try string(v, k)
            case "tlsKey": key = try string(v, k)
            case "maxConnections": c.limits.maxConnections = try int(v, k)
            case "maxFrameBytes": c.limits.maxFrameBytes = try int(v, k)
            case "maxInFlightPerConnection": c.limits.maxInFlightPerConnection = try int(v, k)
            case "requestTimeoutMs": c.limits.requestTimeoutMilliseconds = try int(v, k)
            case "rateLimitPerSecond": c.limits.rateLimitPerSecond = v.doubleValue
            case "rateLimitBurst": c.limits.rateLimitBurst = v.doubleValue
            case "slowRequestMs": c.slowRequestMilliseconds = try int(v, k)
            case "minFreeDiskBytes": c.minFreeDiskBytes = UInt64(try int(v, k))
            case "drainTimeoutMs": c.limits.drainTimeoutMilliseconds = try int(v, k)
            case "startCallsOnEventLoop": c.limits.startCallsOnEventLoop = v.boolValue ?? true
            default: throw ValidationError("unknown key '\(k)' in \(path)")
            }
        }
        if let cert, let key { c.tls = TLSFiles(certificatePath: cert, privateKeyPath: key) }
    }
}
