import EngramCore

/// How JavaScript objects order and merge their keys, where that order reaches results
/// (schema.md §0.12).
extension JavaScript {
    /// Whether `key` is an array index (a canonical integer in 0 ..< 2³² − 1): such keys
    /// enumerate before all others, in numeric order.
    public static func isArrayIndex(_ key: String) -> Bool {
        guard let n = UInt64(key), n < 4_294_967_295 else { return false }
        return String(n) == key
    }

    /// `keys` (in insertion order) in the order a JavaScript object enumerates them:
    /// array-index keys first, ascending, then the others in insertion order.
    public static func enumerationOrder(_ keys: [String]) -> [String] {
        let indexLike = keys.filter(isArrayIndex).sorted { (UInt64($0) ?? 0) < (UInt64($1) ?? 0) }
        return indexLike + keys.filter { !isArrayIndex($0) }
    }

    /// `{...a, ...b, …}`: the own enumerable keys of each source, later ones winning
    /// (an overwritten key keeps its first position), in JavaScript enumeration order.
    ///
    /// An object contributes its fields; an array (or vector) its indices; a string
    /// its UTF-16 code units under index keys (a lone surrogate becomes U+FFFD, which a
    /// Swift string cannot avoid); `null`, numbers, booleans and bytes contribute nothing.
    public static func spread(_ sources: [Value]) -> ValueMap {
        var out = ValueMap()
        for source in sources {
            switch source {
            case .map(let m):
                for key in enumerationOrder(Array(m.keys)) { out[key] = m[key] }
            case .array(let a):
                for (i, v) in a.enumerated() { out[String(i)] = v }
            case .vector(let v):
                for (i, x) in v.enumerated() { out[String(i)] = .double(Double(x)) }
            case .string(let s):
                for (i, unit) in s.utf16.enumerated() { out[String(i)] = .string(String(decoding: [unit], as: UTF16.self)) }
            default:
                continue
            }
        }
        var ordered = ValueMap(minimumCapacity: out.count)
        for key in enumerationOrder(Array(out.keys)) { ordered[key] = out[key] }
        return ordered
    }

    /// The `limit` most frequent of `counts` (keys in insertion order), most frequent
    /// first; ties keep JavaScript enumeration order — what sorting
    /// `Object.entries(counts)` by count, descending, gives.
    public static func mostFrequent(_ counts: OrderedDictionary<String, Int>, limit: Int) -> [String] {
        let entries = enumerationOrder(Array(counts.keys)).map { ($0, counts[$0] ?? 0) }
        return Array(stableSorted(entries) { $0.1 > $1.1 }.prefix(limit).map(\.0))
    }
}
