import EngramCore
import EngramFunctions
import EngramStorage
import Foundation
import Logging
import Testing

/// A temporary database with the catalogue's tables and a registry to call functions
/// on, as the server would (validation, tenant binding, one "now" per call).
final class CatalogueHarness: @unchecked Sendable {
    let path: String
    let db: Database
    let registry: FunctionRegistry
    var settings: CatalogueSettings
    /// When set, every call uses this "now" (else the real clock).
    var fixedNow: UInt64?

    init(shards: Int = 2, allowPurge: Bool = true) throws {
        path = NSTemporaryDirectory() + "engram-catalogue-\(UUID().uuidString)"
        var options = StorageOptions()
        options.shardCount = shards
        options.environment.durable = false
        options.indexFactories = Catalogue.indexFactories
        db = try Database.open(at: path, schema: Catalogue.collections, options: options)
        registry = try Catalogue.registry()
        settings = CatalogueSettings(allowPurge: allowPurge)
    }

    /// Calls `name` with `args` as `caller`.
    @discardableResult
    func call(_ name: String, _ args: ValueMap = [:], caller: Caller = .unbound) async throws -> Value {
        let context = FunctionContext(
            database: db, now: fixedNow ?? SystemClock().nowMilliseconds(), caller: caller, settings: settings,
            logger: Logger(label: "test"))
        return try await registry.call(name, arguments: args, context: context)
    }

    /// The error code `name` fails with (nil if it succeeds).
    func errorCode(_ name: String, _ args: ValueMap = [:], caller: Caller = .unbound) async -> String? {
        do {
            _ = try await call(name, args, caller: caller)
            return nil
        } catch let e as EngramError {
            return e.code.rawValue
        } catch {
            return "\(error)"
        }
    }

    /// The full error `name` fails with (nil if it succeeds).
    func error(_ name: String, _ args: ValueMap = [:], caller: Caller = .unbound) async -> EngramError? {
        do {
            _ = try await call(name, args, caller: caller)
            return nil
        } catch {
            return error as? EngramError
        }
    }

    /// Closes the database and deletes its directory.
    func destroy() async {
        await db.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The functions the contract declares, from `Fixtures/contract-functions.tsv`
/// (generated from the spec by `tools/contract/extract_functions.py`).
enum ContractFunctions {
    static let all: [String: FunctionKind] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/contract-functions.tsv")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var out: [String: FunctionKind] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t").map(String.init)
            if parts.count == 2, let kind = FunctionKind(rawValue: parts[1]) { out[parts[0]] = kind }
        }
        return out
    }()

    /// The contract's functions of `module`.
    static func module(_ module: String) -> [String: FunctionKind] {
        all.filter { $0.key.hasPrefix(module + ":") }
    }
}
