import EngramCore
import EngramFunctions
import Testing

/// Argument validation of every conversations, immutable and mutable function:
/// missing required keys, unknown keys, null optionals and wrong literals.
@Suite struct ModuleValidationTests {
    static let modules = ["conversations", "immutable", "mutable"]

    /// A valid call of each function.
    static let valid: [String: ValueMap] = [
        "conversations:create": [
            "conversationId": "c1", "memorySpaceId": "s", "type": "user-agent", "participants": ["userId": "u", "agentId": "a"],
        ],
        "conversations:addMessage": ["conversationId": "c1", "message": ["id": "m1", "role": "user", "content": "hi"]],
        "conversations:deleteConversation": ["conversationId": "c1"],
        "conversations:deleteMany": [:],
        "conversations:deleteByIds": ["conversationIds": []],
        "conversations:purgeAll": [:],
        "conversations:getMessage": ["conversationId": "c1", "messageId": "m1"],
        "conversations:getMessagesByIds": ["conversationId": "c1", "messageIds": ["m1"]],
        "conversations:getOrCreate": ["memorySpaceId": "s", "type": "user-agent", "participants": ["userId": "u", "agentId": "a"]],
        "conversations:findConversation": ["memorySpaceId": "s", "type": "user-agent"],
        "conversations:get": ["conversationId": "c1"],
        "conversations:list": [:],
        "conversations:count": [:],
        "conversations:getHistory": ["conversationId": "c1"],
        "conversations:search": ["query": "hi"],
        "conversations:exportConversations": ["format": "json"],
        "immutable:store": ["type": "t", "id": "i", "data": ["a": 1]],
        "immutable:purge": ["type": "t", "id": "i"],
        "immutable:get": ["type": "t", "id": "i"],
        "immutable:getVersion": ["type": "t", "id": "i", "version": 1],
        "immutable:getHistory": ["type": "t", "id": "i"],
        "immutable:list": [:],
        "immutable:search": ["query": "x"],
        "immutable:count": [:],
        "immutable:getAtTimestamp": ["type": "t", "id": "i", "timestamp": 1],
        "immutable:purgeMany": ["type": "t"],
        "immutable:purgeVersions": ["type": "t", "id": "i", "keepLatest": 1],
        "immutable:purgeAll": [:],
        "mutable:set": ["namespace": "n", "key": "k", "value": 1],
        "mutable:update": ["namespace": "n", "key": "k", "operation": "increment"],
        "mutable:deleteKey": ["namespace": "n", "key": "k"],
        "mutable:purgeNamespace": ["namespace": "n"],
        "mutable:transaction": ["operations": []],
        "mutable:purgeMany": ["namespace": "n"],
        "mutable:get": ["namespace": "n", "key": "k"],
        "mutable:exists": ["namespace": "n", "key": "k"],
        "mutable:list": ["namespace": "n"],
        "mutable:count": ["namespace": "n"],
        "mutable:purgeAll": [:],
    ]

    static let names: [String] = valid.keys.sorted()

    @Test func everyFunctionOfTheModulesHasAValidCall() throws {
        let registered = try Catalogue.registry().all.filter { Self.modules.contains($0.module) }.map(\.name)
        #expect(Set(registered) == Set(Self.names))
        #expect(registered.count == 39)
    }

    @Test(arguments: names)
    func validCallPassesValidation(name: String) async throws {
        try await CatalogueHarness.with { h in
            let code = await h.errorCode(name, Self.valid[name]!)
            #expect(code != "ARGUMENT_VALIDATION_ERROR")
        }
    }

    @Test(arguments: names)
    func unknownKeyIsRejectedNamingIt(name: String) async throws {
        try await CatalogueHarness.with { h in
            var args = Self.valid[name]!
            args["bogusArgument"] = "x"
            let e = await h.error(name, args)
            #expect(e?.code == .argumentValidation)
            #expect(e?.message.contains("`bogusArgument`") == true)
        }
    }

    @Test(arguments: names)
    func eachMissingRequiredKeyIsRejectedNamingIt(name: String) async throws {
        let declaration = try #require(try Catalogue.registry().declaration(named: name))
        try await CatalogueHarness.with { h in
            for field in declaration.arguments where !field.optional {
                var args = Self.valid[name]!
                args[field.name] = nil
                let e = await h.error(name, args)
                #expect(e?.code == .argumentValidation, "\(name) without \(field.name)")
                #expect(e?.message.contains("`\(field.name)`") == true)
            }
        }
    }

    @Test(arguments: names)
    func nullOptionalsAreTreatedAsAbsent(name: String) async throws {
        let declaration = try #require(try Catalogue.registry().declaration(named: name))
        try await CatalogueHarness.with { h in
            for field in declaration.arguments where field.optional {
                if case .any = field.type { continue }
                var args = Self.valid[name]!
                args[field.name] = .null
                #expect(await h.errorCode(name, args) != "ARGUMENT_VALIDATION_ERROR", "\(name) with \(field.name): null")
            }
        }
    }

    @Test(arguments: names)
    func wrongLiteralsAreRejected(name: String) async throws {
        let declaration = try #require(try Catalogue.registry().declaration(named: name))
        try await CatalogueHarness.with { h in
            for field in declaration.arguments {
                guard case .literals = field.type else { continue }
                var args = Self.valid[name]!
                args[field.name] = "NotALiteral"
                let e = await h.error(name, args)
                #expect(e?.code == .argumentValidation, "\(name) with \(field.name) = NotALiteral")
                #expect(e?.message.contains("NotALiteral") == true)
            }
        }
    }

    @Test func nestedObjectsRejectUnknownKeysAndDropNulls() async throws {
        try await CatalogueHarness.with { h in
            var args = Self.valid["conversations:create"]!
            args["participants"] = ["userId": "u", "agentId": "a", "role": "x"]
            #expect(await h.error("conversations:create", args)?.message.contains("`role`") == true)
            args["participants"] = ["userId": "u", "agentId": "a", "participantId": nil]
            let created = try await h.call("conversations:create", args)
            #expect(keys(created["participants"]) == ["userId", "agentId"])
            var message = Self.valid["conversations:addMessage"]!
            message["message"] = ["id": "m", "role": "user", "content": "x", "timestamp": 5]
            #expect(await h.error("conversations:addMessage", message)?.message.contains("`timestamp`") == true)
            let op: Value = ["op": "set", "namespace": "n", "key": "k", "value": 1, "ttl": 5]
            #expect(await h.error("mutable:transaction", ["operations": [op]])?.message.contains("`ttl`") == true)
        }
    }
}
