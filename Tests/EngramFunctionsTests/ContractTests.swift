import EngramFunctions
import Testing

/// The registered catalogue against the contract's function tables.
@Suite struct ContractTests {
    /// Modules whose every function must be registered (grows as modules land).
    static let requiredModules: [String] = [
        "memorySpaces", "users", "agents", "admin", "conversations", "immutable", "mutable", "facts", "factHistory",
        "memories",
    ]

    @Test func fixtureListsTheWholeContract() {
        #expect(ContractFunctions.all.count == 183)
    }

    @Test(arguments: requiredModules)
    func everyFunctionOfModuleIsRegisteredWithItsKind(module: String) throws {
        let registry = try Catalogue.registry()
        let expected = ContractFunctions.module(module)
        #expect(!expected.isEmpty)
        for (name, kind) in expected {
            let declared = registry.declaration(named: name)
            #expect(declared != nil, "\(name) is not registered")
            #expect(declared?.kind == kind, "\(name) is a \(kind.rawValue) in the contract")
        }
        let extra = registry.all.filter { $0.module == module && expected[$0.name] == nil }.map(\.name)
        #expect(extra.isEmpty, "registered but not in the contract: \(extra)")
    }

    @Test func noRegisteredFunctionIsOutsideTheContract() throws {
        let outside = try Catalogue.registry().all.map(\.name).filter { ContractFunctions.all[$0] == nil }
        #expect(outside.isEmpty, "not in the contract: \(outside)")
    }
}
