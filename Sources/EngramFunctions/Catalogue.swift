import EngramStorage
import EngramText
import EngramVector

/// The function catalogue: every module's declarations, and the collections they use.
///
/// Each module (`memorySpaces`, `users`, `conversations`, …) lives in its own folder
/// and contributes its declarations to ``functions``.
public enum Catalogue {
    /// Every function of every module.
    public static let functions: [FunctionDeclaration] =
        MemorySpacesModule.functions + UsersModule.functions + AgentsModule.functions + AdminModule.functions
        + ConversationsModule.functions + ImmutableModule.functions + MutableModule.functions
        + FactsModule.functions + FactHistoryModule.functions + MemoriesModule.functions

    /// Every collection the catalogue needs: the contract's 13 tables, plus the
    /// engine-side bookkeeping of cascade jobs (never visible through `admin:*`).
    public static let collections: [CollectionSchema] = Tables.all + CascadeJobs.collections

    /// The index kinds ``collections`` declare beyond the built-in ordered index (the
    /// text and vector indexes of the search tables). Pass them in
    /// `StorageOptions.indexFactories` whenever the catalogue's database is opened.
    public static let indexFactories: [IndexFactory] = [TextIndex.factory, VectorIndex.factory]

    /// A registry holding ``functions``.
    public static func registry() throws -> FunctionRegistry {
        try FunctionRegistry(functions)
    }

    /// Completes the cascade jobs an earlier run left unfinished; the server calls it
    /// once at start-up, before serving. Returns the number of jobs completed.
    @discardableResult
    public static func resumePendingJobs(in database: Database) async throws -> Int {
        try await CascadeRunner(database: database).resumePending()
    }
}
