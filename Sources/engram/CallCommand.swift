import ArgumentParser
import Engram
import EngramClient

/// Where the client commands find the server.
struct ServerOptions: ParsableArguments {
    @Option(help: "Server URL: engram://[key@]host[:port], engrams:// for TLS (default: $ENGRAM_URL or engram://127.0.0.1:7717).")
    var url: String?

    @Option(help: "API key (default: $ENGRAM_API_KEY, or the key in the URL).")
    var key: String?

    /// The endpoint these options name.
    func endpoint() throws -> EngramEndpoint {
        let env = ProcessEnvironment.self
        var e = try EngramEndpoint(url: url ?? env.get("ENGRAM_URL") ?? "engram://127.0.0.1:\(EngramEndpoint.defaultPort)")
        if let k = key ?? e.apiKey ?? env.get("ENGRAM_API_KEY") { e.apiKey = k }
        return e
    }
}

/// `engram call <function> '<json args>'`: calls a function on a running server.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Call a function on a running server and print its result as JSON.",
        discussion: "Example: engram call memorySpaces:list '{\"limit\": 10}'. Exits 1 and prints CODE: message on an error.")

    @Argument(help: "The function, module:name.")
    var function: String

    @Argument(help: "Arguments as a JSON object.")
    var args: String = "{}"

    @OptionGroup var server: ServerOptions

    func run() async throws {
        guard case .map(let arguments) = try JSONValue.parse(args) else {
            throw ValidationError("the arguments must be a JSON object")
        }
        let client = try await EngramClient.connect(to: try server.endpoint())
        do {
            let result = try await client.call(function, arguments)
            await client.close()
            print(JSONValue.render(result))
        } catch let e as EngramError {
            await client.close()
            printError("\(e.code.rawValue): \(e.message)")
            throw ExitCode(1)
        }
    }
}

/// Environment variables, without importing Foundation here.
enum ProcessEnvironment {
    static func get(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        return String(cString: p)
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

#if canImport(Glibc)
import Glibc
#endif
