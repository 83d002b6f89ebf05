import EngramCore
import EngramProtocol
import NIOSSL
import Synchronization

/// A pool of pipelined connections to one Engram server.
///
/// Requests go to the connections in turn; each connection pipelines whatever it is
/// given. Safe to share between tasks. A connection that closes fails its
/// outstanding requests with `CONNECTION_CLOSED`, and later requests routed to it
/// fail the same way; there is no automatic reconnection.
public final class EngramClient: Sendable {
    /// The pool's connections.
    public let connections: [EngramConnection]
    private let next = Atomic<Int>(0)

    private init(connections: [EngramConnection]) {
        self.connections = connections
    }

    /// Opens `poolSize` connections to `endpoint`.
    ///
    /// - Throws: whatever ``EngramConnection/connect(to:clientName:tlsConfiguration:group:)`` throws.
    public static func connect(
        to endpoint: EngramEndpoint, poolSize: Int = 1, tlsConfiguration: TLSConfiguration? = nil
    ) async throws -> EngramClient {
        var connections: [EngramConnection] = []
        do {
            for _ in 0..<max(1, poolSize) {
                connections.append(try await EngramConnection.connect(to: endpoint, tlsConfiguration: tlsConfiguration))
            }
        } catch {
            for c in connections { await c.close() }
            throw error
        }
        return EngramClient(connections: connections)
    }

    /// Opens a pool to `url` (`engram://[key@]host[:port]`, `engrams://` for TLS).
    public static func connect(url: String, poolSize: Int = 1, tlsConfiguration: TLSConfiguration? = nil) async throws -> EngramClient {
        try await connect(to: try EngramEndpoint(url: url), poolSize: poolSize, tlsConfiguration: tlsConfiguration)
    }

    /// The connection the next request uses.
    public var connection: EngramConnection {
        connections[next.wrappingAdd(1, ordering: .relaxed).oldValue % connections.count]
    }

    /// Calls function `name`; see ``EngramConnection/call(_:_:timeoutMs:)``.
    public func call(_ name: String, _ args: ValueMap = [:], timeoutMs: Int? = nil) async throws -> Value {
        try await connection.call(name, args, timeoutMs: timeoutMs)
    }

    /// Runs query-language text; see ``EngramConnection/query(_:_:)``.
    public func query(_ text: String, _ params: ValueMap = [:]) async throws -> Value {
        try await connection.query(text, params)
    }

    /// A round trip.
    public func ping() async throws {
        try await connection.ping()
    }

    /// Closes every connection.
    public func close() async {
        for c in connections { await c.close() }
    }
}
