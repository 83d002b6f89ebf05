/// The function catalogue: every module's declarations, and the tables they use.
///
/// Each module (`memorySpaces`, `users`, `conversations`, …) lives in its own folder
/// and contributes its declarations to ``functions``.
public enum Catalogue {
    /// Every function of every module.
    public static let functions: [FunctionDeclaration] =
        ConversationsModule.functions
        + ImmutableModule.functions
        + MutableModule.functions

    /// A registry holding ``functions``.
    public static func registry() throws -> FunctionRegistry {
        try FunctionRegistry(functions)
    }
}
