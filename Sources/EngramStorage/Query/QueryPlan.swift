import EngramCore

/// A half-open range of LMDB keys, `[start, end)`; nil bounds are open.
struct KeyRange: Equatable {
    var start: [UInt8]?
    var end: [UInt8]?

    func contains(_ key: UnsafeRawBufferPointer) -> Bool {
        if let start, compareBytes(key, start) < 0 { return false }
        if let end, compareBytes(key, end) >= 0 { return false }
        return true
    }
}

func compareBytes<A: Collection, B: Collection>(_ a: A, _ b: B) -> Int where A.Element == UInt8, B.Element == UInt8 {
    var ia = a.makeIterator(), ib = b.makeIterator()
    while true {
        switch (ia.next(), ib.next()) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
        }
    }
}

/// How a query is answered in one shard.
struct QueryPlan {
    enum Source {
        /// The documents themselves, in id (= creation) order.
        case creationOrder
        /// A secondary index, within a key range.
        case index(IndexSlot, SecondaryIndex, KeyRange)
    }

    var source: Source
    /// Scan from the end of the source.
    var descending: Bool
    /// Sort matches in memory by these keys (nil: the source order is the result order).
    var sortInMemory: [Query.SortField]?
    /// True when the range alone decides membership: every condition was turned
    /// into the range and no key was truncated, so counting needs no documents.
    var rangeIsExact: Bool
    /// The source may yield one document more than once (a multi-entry index).
    var mayRepeat: Bool

    /// Chooses the access path for `query` over `store`, using only indexes for
    /// which `usable` holds (by default: ready in this shard; a fan-out query demands
    /// ready in every shard, so that all shards produce comparable keys).
    static func make(_ query: Query, store: CollectionStore, usable: ((String) -> Bool)? = nil) throws -> QueryPlan {
        let conjuncts = query.filter?.conjuncts ?? []
        let isUsable = usable ?? { store.slot(named: $0)?.isReady ?? false }
        let candidates: [(IndexSlot, SecondaryIndex)] = store.slots.compactMap { slot in
            guard isUsable(slot.index.definition.name), let ix = slot.index as? SecondaryIndex else { return nil }
            return (slot, ix)
        }
        switch query.index {
        case .creationOrder:
            return creationOrder(query)
        case .named(let name):
            guard let slot = store.slot(named: name) else {
                throw EngramError(.indexNotFound, "collection '\(store.name)' has no index '\(name)'")
            }
            guard let ix = slot.index as? SecondaryIndex else {
                throw EngramError(.invalidArgument, "index '\(name)' of '\(store.name)' is not an ordered index")
            }
            guard isUsable(name) else {
                // Still building: scan the documents and sort them as the index would.
                var plan = creationOrder(query)
                plan.sortInMemory = ix.definition.fields.map { Query.SortField($0, descending: query.descending) }
                plan.rangeIsExact = false
                return plan
            }
            return indexPlan(slot, ix, conjuncts: conjuncts, query: query).plan
        case .automatic:
            if let plan = sortPlan(query, conjuncts: conjuncts, candidates: candidates, store: store) { return plan }
            var best: (plan: QueryPlan, score: Int)?
            for (slot, ix) in candidates {
                let (plan, score) = indexPlan(slot, ix, conjuncts: conjuncts, query: query)
                if score > 0, score > (best?.score ?? 0) { best = (plan, score) }
            }
            return best?.plan ?? creationOrder(query)
        }
    }

    private static func creationOrder(_ query: Query) -> QueryPlan {
        var sort: [Query.SortField]? = query.sort.isEmpty ? nil : query.sort
        var descending = query.descending
        if let s = sort, s.count == 1, ["_creationTime", "_id"].contains(s[0].path.description) {
            descending = s[0].descending
            sort = nil
        }
        return QueryPlan(
            source: .creationOrder, descending: descending, sortInMemory: sort,
            rangeIsExact: query.filter == nil, mayRepeat: false)
    }

    /// With an explicit sort: an index whose fields are (equality-bound fields, then
    /// the sort keys, all one direction) yields the order without sorting.
    private static func sortPlan(
        _ query: Query, conjuncts: [Predicate], candidates: [(IndexSlot, SecondaryIndex)], store: CollectionStore
    ) -> QueryPlan? {
        guard let first = query.sort.first else { return nil }
        if query.sort.count == 1, ["_creationTime", "_id"].contains(first.path.description) { return creationOrder(query) }
        guard query.sort.allSatisfy({ $0.descending == first.descending }) else { return nil }
        let sortPaths = query.sort.map(\.path)
        for (slot, ix) in candidates where !ix.definition.multiEntry {
            var (plan, _) = indexPlan(slot, ix, conjuncts: conjuncts, query: query)
            let eqCount = equalityPrefix(ix.definition.fields, conjuncts: conjuncts, multiEntry: false).count
            let rest = Array(ix.definition.fields.dropFirst(eqCount))
            if rest.starts(with: sortPaths) {
                plan.descending = first.descending
                plan.sortInMemory = nil
                return plan
            }
        }
        return nil
    }

    /// Values bound by equality (or, on a multi-entry index, CONTAINS) to the leading fields.
    private static func equalityPrefix(_ fields: [FieldPath], conjuncts: [Predicate], multiEntry: Bool) -> [Value] {
        var values: [Value] = []
        for field in fields {
            let bound = conjuncts.lazy.compactMap { c -> Value? in
                switch c {
                case .compare(let p, .equal, let v) where p == field && !multiEntry: return v
                case .contains(let p, let v) where p == field && multiEntry: return v
                default: return nil
                }
            }.first
            guard let v = bound else { break }
            values.append(v)
        }
        return values
    }

    /// The plan for one index and its score: 2 per equality-bound field, +1 for a range.
    private static func indexPlan(
        _ slot: IndexSlot, _ ix: SecondaryIndex, conjuncts: [Predicate], query: Query
    ) -> (plan: QueryPlan, score: Int) {
        let fields = ix.definition.fields
        let multi = ix.definition.multiEntry
        let eq = equalityPrefix(fields, conjuncts: conjuncts, multiEntry: multi)
        var prefix: [UInt8] = []
        var truncated = false
        for v in eq {
            let r = KeyEncoding.append(v, budget: ix.componentBudget, to: &prefix)
            truncated = truncated || r.truncated
        }
        var consumed = eq.count
        var range = KeyRange(start: prefix.isEmpty ? nil : prefix, end: prefix.isEmpty ? nil : KeyEncoding.prefixSuccessor(prefix))
        var hasRange = false
        if eq.count < fields.count, !truncated, !multi {
            let field = fields[eq.count]
            var lower: (Value, inclusive: Bool)?
            var upper: (Value, inclusive: Bool)?
            for c in conjuncts {
                guard case .compare(let p, let op, let v) = c, p == field else { continue }
                switch op {
                case .greater where lower == nil: lower = (v, false); consumed += 1
                case .greaterOrEqual where lower == nil: lower = (v, true); consumed += 1
                case .less where upper == nil: upper = (v, false); consumed += 1
                case .lessOrEqual where upper == nil: upper = (v, true); consumed += 1
                default: break
                }
            }
            if lower != nil || upper != nil {
                hasRange = true
                let bracket = KeyEncoding.typeTag(of: (lower ?? upper)!.0)  // one of them is set
                if let (v, inclusive) = lower {
                    var b = prefix
                    let r = KeyEncoding.append(v, budget: ix.componentBudget, to: &b)
                    if r.truncated {
                        truncated = true
                        range.start = Array(b.prefix(prefix.count + r.orderedLength))
                    } else {
                        range.start = inclusive ? b : KeyEncoding.prefixSuccessor(b)
                    }
                } else {
                    range.start = prefix + [bracket]
                }
                if let (v, inclusive) = upper {
                    var b = prefix
                    let r = KeyEncoding.append(v, budget: ix.componentBudget, to: &b)
                    if r.truncated {
                        truncated = true
                        range.end = KeyEncoding.prefixSuccessor(Array(b.prefix(prefix.count + r.orderedLength)))
                    } else {
                        range.end = inclusive ? KeyEncoding.prefixSuccessor(b) : b
                    }
                } else {
                    range.end = KeyEncoding.prefixSuccessor(prefix + [bracket])
                }
            }
        }
        let sort: [Query.SortField]? = query.sort.isEmpty ? nil : query.sort
        let plan = QueryPlan(
            source: .index(slot, ix, range), descending: query.descending, sortInMemory: sort,
            rangeIsExact: !truncated && !multi && consumed == conjuncts.count, mayRepeat: multi)
        return (plan, eq.count * 2 + (hasRange ? 1 : 0))
    }
}
