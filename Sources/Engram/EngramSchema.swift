import EngramFunctions

/// What a full Engram server declares when it opens a database: the collections of
/// its function catalogue and the index kinds beyond the built-in ordered index.
///
/// The CLI's `serve` opens the database with these; offline tools (`check`) pass
/// ``indexFactories`` so they can open every index recorded on disk.
public enum EngramSchema {
    /// Collections declared by the server: the catalogue's tables and its cascade-job bookkeeping.
    public static let collections: [CollectionSchema] = Catalogue.collections
    /// Index kinds the server knows beyond `secondary`: those the catalogue declares.
    public static let indexFactories: [IndexFactory] = Catalogue.indexFactories
}
