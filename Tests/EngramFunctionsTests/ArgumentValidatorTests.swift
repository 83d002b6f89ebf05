import EngramCore
import EngramFunctions
import Logging
import Testing

/// Argument validation through the registry, on a small declared function.
@Suite struct ArgumentValidatorTests {
    static let echo = FunctionDeclaration(
        "test:echo", .query,
        arguments: [
            .required("name", .string),
            .optional("count", .number),
            .optional("kind", .literals(["a", "b"])),
            .optional("meta", .any),
            .optional("tenantId", .string),
            .optional("items", .array(.object([.required("id", .string), .optional("note", .string)]))),
        ]
    ) { _, args in .map(args) }

    func call(_ args: ValueMap, caller: Caller = .unbound) async throws -> Value {
        let h = try CatalogueHarness(shards: 1)
        defer { Task { await h.destroy() } }
        let registry = try FunctionRegistry([Self.echo])
        let ctx = FunctionContext(database: h.db, now: 1, caller: caller, logger: Logger(label: "t"))
        return try await registry.call("test:echo", arguments: args, context: ctx)
    }

    func failure(_ args: ValueMap) async -> EngramError? {
        do { _ = try await call(args); return nil } catch { return error as? EngramError }
    }

    @Test func missingRequiredIsRejectedNamingTheField() async {
        let e = await failure([:])
        #expect(e?.code == .argumentValidation)
        #expect(e?.message.hasPrefix("ArgumentValidationError") == true)
        #expect(e?.message.contains("`name`") == true)
    }

    @Test func unknownKeysAreRejectedAtEveryLevel() async {
        let top = await failure(["name": "x", "nmae": "y"])
        #expect(top?.code == .argumentValidation)
        #expect(top?.message.contains("`nmae`") == true)
        let nested = await failure(["name": "x", "items": [["id": "1", "extra": 2]]])
        #expect(nested?.message.contains("`extra`") == true)
    }

    @Test func nullOptionalMeansAbsentExceptForAny() async throws {
        let v = try await call(["name": "x", "count": nil, "kind": nil, "meta": nil])
        #expect(v["count"] == nil)
        #expect(v["kind"] == nil)
        #expect(v["meta"] == .null)
    }

    @Test func literalsAreExactAndNumbersBecomeDoubles() async throws {
        #expect(await failure(["name": "x", "kind": "A"])?.code == .argumentValidation)
        let v = try await call(["name": "x", "count": 5, "kind": "b"])
        #expect(v["count"].map { if case .double = $0 { true } else { false } } == true)
        #expect(await failure(["name": 5])?.code == .argumentValidation)
    }

    @Test func tenantBoundCallerIsForcedIntoItsTenant() async throws {
        let bound = Caller(tenantId: "t1")
        #expect(try await call(["name": "x"], caller: bound)["tenantId"] == "t1")
        do {
            _ = try await call(["name": "x", "tenantId": "t2"], caller: bound)
            Issue.record("a bound caller named another tenant")
        } catch let e as EngramError {
            #expect(e.code == .forbidden)
        }
    }
}
