import EngramCore
import EngramStorage

extension Database {
    /// The documents whose vectors are nearest `query.vector`, best first (ties: older
    /// document first), at most `query.limit`.
    ///
    /// Searches the named partition (or every partition of the query's dimension) in
    /// each shard that may hold it, one consistent snapshot per shard, and merges the
    /// per-shard top-k. Each result is re-checked against its document: every result
    /// satisfies the partition and the filter exactly. Partitions below the index's
    /// exact threshold, and every partition when `query.exact` is set, are scanned; larger
    /// ones are searched through their HNSW graph, plus a scan of vectors not linked yet.
    ///
    /// Throws `COLLECTION_NOT_FOUND`, `INDEX_NOT_FOUND`, `WRONG_INDEX_KIND`,
    /// `INDEX_NOT_READY` (being built from existing documents), `INVALID_VECTOR` (NaN or
    /// infinite, all zeros under cosine, beyond the maximum dimension), or
    /// `INVALID_ARGUMENT` (limit or ef out of range, wrong number of partition values, a
    /// filter on a field the index does not keep).
    public func vectorSearch(_ query: VectorQuery) throws -> [VectorHit] {
        let schema = try schema(of: query.collection)
        guard let definition = schema.index(named: query.index) else {
            throw EngramError(.indexNotFound, "collection '\(query.collection)' has no index '\(query.index)'")
        }
        guard definition.kind == IndexDefinition.vectorKind else {
            throw EngramError(
                .wrongIndexKind, "index '\(query.collection).\(query.index)' is a \(definition.kind) index, not a vector index")
        }
        guard (1...VectorQuery.maxLimit).contains(query.limit) else {
            throw EngramError(.invalidArgument, "limit must be 1 to \(VectorQuery.maxLimit), got \(query.limit)")
        }
        if let ef = query.ef, !(1...10_000).contains(ef) {
            throw EngramError(.invalidArgument, "ef must be 1 to 10000, got \(ef)")
        }
        let options = try loadedVectorIndex(query.collection, query.index).options
        guard query.partition.isEmpty || query.partition.count == options.partition.count else {
            throw EngramError(
                .invalidArgument,
                "vector index '\(query.index)' is partitioned by \(options.partition.count) field(s), got \(query.partition.count) value(s)")
        }
        let prepared: PreparedVector
        do {
            prepared = try PreparedVector.prepare(query.vector, metric: options.metric, maxDimension: options.maxDimension, allowZero: false)
        } catch {
            throw EngramError(.invalidVector, "the query vector \(error.message)")
        }

        var routing: [Predicate] = query.filter.map { [$0] } ?? []
        for (path, value) in zip(options.partition, query.partition) { routing.append(.compare(path, .equal, value)) }
        let targets = try shards(for: Query(query.collection, filter: routing.isEmpty ? nil : .and(routing)))
        var hits: [(score: Float, id: RawDocumentID, document: Document)] = []
        for shard in targets {
            hits += try shard.read { scope in
                guard let slot = try scope.collection(query.collection).slot(named: query.index), let index = slot.index as? VectorIndex else {
                    throw EngramError(.internal, "shard \(shard.index) has no vector index '\(query.index)'")
                }
                guard slot.isReady else {
                    throw EngramError(.indexNotReady, "vector index '\(query.collection).\(query.index)' is still being built")
                }
                let filter = try query.filter.map { try NodeFilter($0, filterRoots: Set(index.filterRoots), index: query.index) }
                let txn = scope.transaction
                let store = try scope.collection(query.collection)
                let partitions = try index.partitions(for: query.partition, dimension: prepared.dimension, in: txn)
                // Ask for exactly the limit; in the rare case a result fails its re-check (a
                // write raced the index read), ask again for twice as many.
                var candidates = query.limit
                while true {
                    var top = TopResults(k: candidates)
                    for (p, meta) in partitions {
                        top.merge(try index.search(p, meta: meta, query: prepared, k: candidates, ef: query.ef, filter: filter, exact: query.exact, in: txn))
                    }
                    let found = try top.items.compactMap { item -> (score: Float, id: RawDocumentID, document: Document)? in
                        guard let document = try store.document(try item.id.documentID(), in: txn) else { return nil }
                        guard query.filter?.matches(document) ?? true,
                            zip(options.partition, query.partition).allSatisfy({ Value.map(document.fields).lookup($0) == $1 })
                        else { return nil }
                        return (options.metric.score(distance: item.distance), item.id, document)
                    }
                    if found.count >= query.limit || top.items.count < candidates || candidates >= VectorQuery.maxLimit {
                        return found
                    }
                    candidates = min(2 * candidates, VectorQuery.maxLimit)
                }
            }
        }
        hits.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        return hits.prefix(query.limit).map { VectorHit(document: $0.document, score: $0.score) }
    }

    /// The vector index `name` of `collection` as loaded in the first shard (every shard
    /// has the same definition), whose options are already decoded.
    private func loadedVectorIndex(_ collection: String, _ name: String) throws -> VectorIndex {
        guard let index = try shards[0].collection(collection).slot(named: name)?.index as? VectorIndex else {
            throw EngramError(.internal, "vector index '\(collection).\(name)' is not loaded")
        }
        return index
    }

    /// Links every vector not yet in its partition's graph and finishes pending
    /// repairs, in every shard, then returns. For tools and tests that need graphs
    /// complete (bulk loads, benchmarks); a running server does this in the background.
    public func settleVectorIndexes() async throws {
        for shard in shards {
            for name in shard.collectionNames {
                for slot in try shard.collection(name).slots {
                    guard let index = slot.index as? VectorIndex else { continue }
                    while try await shard.write({ scope in try index.maintainAll(in: scope.transaction) }) {}
                }
            }
        }
    }
}
