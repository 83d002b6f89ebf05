import EngramClient
import EngramCore
import EngramFunctions
import EngramServer
import EngramStorage
import Foundation
import Logging
import Synchronization

/// A server on a free loopback port over a temporary directory, with the probe
/// functions and a test module (`test:put`/`test:get` by id over `testItems`).
struct TestServer {
    let server: EngramServer
    let directory: String

    static let items = CollectionSchema(name: "testItems", placement: .byID)

    static let functions: [FunctionDeclaration] = [
        FunctionDeclaration("test:put", .mutation, arguments: [.required("n", .number)]) { context, args in
            let doc = try await context.database.insert(items.name, ["n": args["n"] ?? .null], now: context.now)
            return .string(doc.id.description)
        },
        FunctionDeclaration("test:get", .query, arguments: [.required("id", .id([items.name]))]) { context, args in
            try context.database.get(items.name, try DocumentID(args["id"]?.stringValue ?? ""))?.value ?? .null
        },
    ]

    static func start(directory: String? = nil, _ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        let dir = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("engram-server-\(UUID().uuidString)").path
        var c = ServerConfiguration()
        c.port = 0
        c.adminPort = 0
        c.dataPath = dir
        c.storage.shardCount = 2
        c.collections = [items, ProbeFunctions.schema]
        configure(&c)
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        let server = try await EngramServer.start(
            configuration: c, registry: try FunctionRegistry(functions + ProbeFunctions.declarations), logger: logger)
        return TestServer(server: server, directory: dir)
    }

    var endpoint: EngramEndpoint { EngramEndpoint(host: "127.0.0.1", port: server.port) }

    func client(poolSize: Int = 1, key: String? = nil) async throws -> EngramClient {
        var e = endpoint
        e.apiKey = key
        return try await EngramClient.connect(to: e, poolSize: poolSize)
    }

    /// Shuts down and deletes the directory.
    func stop() async {
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The error code of `body`'s failure, or nil if it succeeded.
func errorCode(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let e as EngramError {
        return e.code.rawValue
    } catch {
        return "\(error)"
    }
}

/// A value shared between test tasks.
final class Locked<T: Sendable>: Sendable {
    private let mutex: Mutex<T>
    init(_ value: T) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout T) -> R) -> R { mutex.withLock { body(&$0) } }
}
