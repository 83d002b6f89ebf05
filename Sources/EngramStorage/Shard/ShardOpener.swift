import EngramCore

/// Opens a shard and reconciles what is on disk with the declared schema.
///
/// In one write transaction: opens the meta database and the change log; for each
/// declared collection opens its documents and (if versioned) its history; for each
/// declared index, reuses it if the recorded declaration is identical, otherwise
/// drops what was there and creates it (ready at once when the collection is empty,
/// else left for the ``IndexBuilder``); drops indexes no longer declared; records the
/// declarations. With no declared schema (offline tools), the recorded one is used.
struct ShardOpener {
    let index: Int
    let directory: String
    let schema: [CollectionSchema]?
    let factories: [String: IndexFactory]
    let options: StorageOptions
    let routing: ShardRouter
    let idGenerator: DocumentIDGenerator

    private static let collectionPrefix = "collection/"

    func open() throws -> Shard {
        var environment = options.environment
        if environment.maxDatabases == nil { environment.maxDatabases = Self.databaseSlots(for: schema) }
        let env = try Environment(path: directory, options: environment)
        do {
            let (collections, changeLog, meta) = try reconcile(env)
            return Shard(
                index: index, environment: env, routing: routing, collections: collections, changeLog: changeLog,
                meta: meta, idGenerator: idGenerator, clock: options.clock, observer: options.commitObserver,
                backgroundWork: options.buildIndexesInBackground)
        } catch {
            env.close()
            throw error
        }
    }

    /// Named-database slots a schema needs, doubled for headroom: meta and change log,
    /// then per collection its documents and history, one per secondary index and up to
    /// 16 per index of another kind. Unknown (offline) schemas get 1024.
    static func databaseSlots(for schema: [CollectionSchema]?) -> UInt32 {
        guard let schema else { return 1024 }
        let needed = 2 + schema.reduce(0) { n, c in
            n + 2 + c.indexes.reduce(0) { $0 + ($1.kind == IndexDefinition.secondaryKind ? 1 : 16) }
        }
        return UInt32(max(64, needed * 2))
    }

    private func reconcile(_ env: Environment) throws -> ([String: CollectionStore], ChangeLog, SubDatabase) {
        env.gate.enterShared()
        defer { env.gate.leaveShared() }
        let txn = try env.beginWrite()
        defer { txn.abort() }
        let meta = try env.openDatabase("$meta", create: true, in: txn)!  // created when absent
        let logDB = try env.openDatabase("$changelog", create: true, in: txn)!  // created when absent
        let changeLog = ChangeLog(database: logDB, meta: meta, retention: options.changeLogRetention)

        let recorded = try recordedSchemas(meta: meta, in: txn)
        let declared = schema ?? recorded.values.sorted { $0.name < $1.name }
        let existingNames = Set(try env.databaseNames(in: txn))
        var stores: [String: CollectionStore] = [:]
        for collection in declared {
            try collection.validate()
            stores[collection.name] = try openCollection(collection, env: env, meta: meta, existing: existingNames, in: txn)
            try txn.put(meta, Array((Self.collectionPrefix + collection.name).utf8), MessagePack.encode(collection.encoded))
        }
        try txn.commit()
        return (stores, changeLog, meta)
    }

    private func recordedSchemas(meta: SubDatabase, in txn: Transaction) throws -> [String: CollectionSchema] {
        var out: [String: CollectionSchema] = [:]
        let cursor = try txn.cursor(meta)
        var e = try cursor.seek(atLeast: Array(Self.collectionPrefix.utf8))
        while let entry = e, entry.key.starts(with: Self.collectionPrefix.utf8) {
            let c = try CollectionSchema(decoding: try MessagePack.decode(entry.value))
            out[c.name] = c
            e = try cursor.next()
        }
        return out
    }

    private func openCollection(
        _ collection: CollectionSchema, env: Environment, meta: SubDatabase, existing: Set<String>, in txn: Transaction
    ) throws -> CollectionStore {
        let documents = try env.openDatabase("\(collection.name)$docs", create: true, in: txn)!  // created when absent
        let historyName = "\(collection.name)$versions"
        var history: VersionHistory?
        if let retention = collection.versions {
            let db = try env.openDatabase(historyName, create: true, in: txn)!  // created when absent
            history = VersionHistory(database: db, retention: retention)
        } else {
            try env.dropDatabase(historyName, in: txn)
        }
        let isEmpty = try txn.count(documents) == 0

        var slots: [IndexSlot] = []
        for definition in collection.indexes {
            guard let factory = factories[definition.kind] else {
                throw EngramError(
                    .schemaMismatch, "index '\(collection.name).\(definition.name)' is of kind '\(definition.kind)', which this build does not know")
            }
            let key = IndexBuildState.key(collection: collection.name, index: definition.name)
            let context = IndexContext(
                definition: definition, collection: collection, environment: env, shardIndex: index, transaction: txn)
            var state = try IndexBuildState.read(key, meta: meta, in: txn)
            if state?.definition != definition {
                try dropIndexDatabases(prefix: context.databasePrefix, env: env, existing: existing, in: txn)
                state = IndexBuildState(definition: definition, ready: isEmpty, after: nil)
                try state!.write(key, meta: meta, in: txn)  // assigned on the line above
            }
            let instance = try factory.make(context)
            slots.append(IndexSlot(index: instance, stateKey: key, ready: state!.ready))  // set above when nil
        }
        // Indexes recorded on disk but no longer declared: drop them.
        let declaredNames = Set(collection.indexes.map(\.name))
        let statePrefix = Array("index/\(collection.name)/".utf8)
        let cursor = try txn.cursor(meta)
        var stale: [(key: [UInt8], name: String)] = []
        var e = try cursor.seek(atLeast: statePrefix)
        while let entry = e, entry.key.starts(with: statePrefix) {
            let name = String(decoding: entry.key.dropFirst(statePrefix.count), as: UTF8.self)
            if !declaredNames.contains(name) { stale.append((Array(entry.key), name)) }
            e = try cursor.next()
        }
        for s in stale {
            try dropIndexDatabases(prefix: "\(collection.name)$ix$\(s.name)", env: env, existing: existing, in: txn)
            try txn.delete(meta, s.key)
        }
        return CollectionStore(
            schema: collection, documents: documents, history: history, slots: slots, limits: options.documentLimits, meta: meta)
    }

    private func dropIndexDatabases(prefix: String, env: Environment, existing: Set<String>, in txn: Transaction) throws {
        for name in existing where name.hasPrefix(prefix + "$") {
            try env.dropDatabase(name, in: txn)
        }
    }
}
