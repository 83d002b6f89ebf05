import ArgumentParser
import Engram
import EngramClient
import EngramServer
import Logging

/// `engram keys create|list|revoke`: manages API keys, on a running server (admin key
/// needed once keys exist) or offline in a data directory (`--data`, server stopped).
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create, list and revoke API keys.",
        discussion: "Keys are stored hashed; a new key is printed once. With --data the database is opened directly (the server must be stopped); otherwise the command talks to the server at --url with an admin key.",
        subcommands: [Create.self, List.self, Revoke.self])

    /// Where the keys are: a data directory or a server.
    struct Target: ParsableArguments {
        @Option(help: "Open this data directory directly instead of talking to a server.")
        var data: String?

        @OptionGroup var server: ServerOptions

        /// Runs `function` either on the server or against the data directory.
        func call(_ function: String, _ args: ValueMap) async throws -> Value {
            if let data {
                var options = StorageOptions()
                options.indexFactories = EngramSchema.indexFactories
                options.buildIndexesInBackground = false
                let db = try Database.open(at: data, schema: EngramSchema.collections + [ApiKeyStore.schema], options: options)
                do {
                    let result = try await ApiKeyStore.offline(database: db, function: function, arguments: args)
                    await db.close()
                    return result
                } catch {
                    await db.close()
                    throw error
                }
            }
            let client = try await EngramClient.connect(to: try server.endpoint())
            do {
                let result = try await client.call(function, args)
                await client.close()
                return result
            } catch {
                await client.close()
                throw error
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it (it is shown only once).")
        @Option(help: "admin, readwrite or readonly.") var role: String = "readwrite"
        @Option(help: "A label for people.") var name: String = ""
        @Option(help: "Bind the key to this tenant.") var tenant: String?
        @OptionGroup var target: Target

        func run() async throws {
            var args: ValueMap = ["role": .string(role), "name": .string(name)]
            if let tenant { args["tenantId"] = .string(tenant) }
            try await report { try await target.call(ApiKeyStore.createFunction, args) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (without secrets).")
        @OptionGroup var target: Target

        func run() async throws {
            try await report { try await target.call(ApiKeyStore.listFunction, [:]) }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id (the hex part after egk_).")
        @Argument(help: "The key id.") var keyId: String
        @OptionGroup var target: Target

        func run() async throws {
            try await report { try await target.call(ApiKeyStore.revokeFunction, ["keyId": .string(keyId)]) }
        }
    }
}

/// Prints a result as JSON, or an error as `CODE: message` with exit status 1.
private func report(_ body: () async throws -> Value) async throws {
    do {
        print(JSONValue.render(try await body()))
    } catch let e as EngramError {
        printError("\(e.code.rawValue): \(e.message)")
        throw ExitCode(1)
    }
}
