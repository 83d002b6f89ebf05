/// Equality, hashing and the total order of `Value`.
///
/// The order is the one every index and sort in Engram uses:
/// null < numbers < booleans < strings < bytes < arrays < maps < vectors.
/// Numbers compare numerically across `int` and `double` (NaN sorts above every
/// other number and equals itself; -0 equals 0). Strings compare by UTF-8 bytes,
/// which is code-point order. Arrays, maps and vectors compare element by element,
/// a shorter prefix first; maps compare their (key, value) entries in order.
extension Value: Comparable, Hashable {
    /// Rank of a value's type class in the cross-type order (numbers share one rank).
    public var typeRank: Int {
        switch self {
        case .null: return 0
        case .int, .double: return 1
        case .bool: return 2
        case .string: return 3
        case .bytes: return 4
        case .array: return 5
        case .map: return 6
        case .vector: return 7
        }
    }

    public static func == (lhs: Value, rhs: Value) -> Bool {
        compare(lhs, rhs) == 0
    }

    public static func < (lhs: Value, rhs: Value) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Three-way comparison in Engram's total order: negative, zero or positive.
    public static func compare(_ lhs: Value, _ rhs: Value) -> Int {
        let lr = lhs.typeRank, rr = rhs.typeRank
        if lr != rr { return lr < rr ? -1 : 1 }
        switch (lhs, rhs) {
        case (.null, .null):
            return 0
        case (.bool(let a), .bool(let b)):
            return a == b ? 0 : (a ? 1 : -1)
        case (.string(let a), .string(let b)):
            return compareBytes(a.utf8, b.utf8)
        case (.bytes(let a), .bytes(let b)):
            return compareBytes(a, b)
        case (.array(let a), .array(let b)):
            return compareSequences(a, b)
        case (.map(let a), .map(let b)):
            var ia = a.makeIterator(), ib = b.makeIterator()
            while true {
                switch (ia.next(), ib.next()) {
                case (nil, nil): return 0
                case (nil, _): return -1
                case (_, nil): return 1
                case (let ea?, let eb?):
                    let k = compareBytes(ea.key.utf8, eb.key.utf8)
                    if k != 0 { return k }
                    let v = compare(ea.value, eb.value)
                    if v != 0 { return v }
                }
            }
        case (.vector(let a), .vector(let b)):
            for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        default:
            return compareNumbers(lhs, rhs)
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(typeRank)
        switch self {
        case .null: break
        case .bool(let b): hasher.combine(b)
        case .int(let i):
            // Hash like the equal double when one exists, so equal values hash equally.
            if let d = Double(exactly: i) { hasher.combine(d) } else { hasher.combine(i) }
        case .double(let d):
            if d.isNaN { hasher.combine(Double.nan.bitPattern) } else { hasher.combine(d == 0 ? 0 : d) }
        case .string(let s): hasher.combine(s)
        case .bytes(let b): hasher.combine(b)
        case .array(let a): hasher.combine(a)
        case .map(let m):
            hasher.combine(m.count)
            for (k, v) in m { hasher.combine(k); hasher.combine(v) }
        case .vector(let v): hasher.combine(v)
        }
    }
}

@usableFromInline func compareBytes<A: Sequence, B: Sequence>(_ a: A, _ b: B) -> Int
where A.Element == UInt8, B.Element == UInt8 {
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

private func compareSequences(_ a: [Value], _ b: [Value]) -> Int {
    for (x, y) in zip(a, b) {
        let c = Value.compare(x, y)
        if c != 0 { return c }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// Compares two numbers exactly, whatever mix of `int` and `double` they are.
private func compareNumbers(_ lhs: Value, _ rhs: Value) -> Int {
    switch (lhs, rhs) {
    case (.int(let a), .int(let b)):
        return a == b ? 0 : (a < b ? -1 : 1)
    case (.double(let a), .double(let b)):
        return compareDoubles(a, b)
    case (.int(let a), .double(let b)):
        return -compareDoubleToInt(b, a)
    case (.double(let a), .int(let b)):
        return compareDoubleToInt(a, b)
    default:
        preconditionFailure("compareNumbers called with non-numbers")  // callers check typeRank == 1
    }
}

private func compareDoubles(_ a: Double, _ b: Double) -> Int {
    if a.isNaN || b.isNaN { return a.isNaN ? (b.isNaN ? 0 : 1) : -1 }
    return a == b ? 0 : (a < b ? -1 : 1)
}

/// Exact comparison of a double with an int64 (no rounding of the int).
private func compareDoubleToInt(_ d: Double, _ i: Int64) -> Int {
    if d.isNaN { return 1 }
    if d >= 9_223_372_036_854_775_808.0 { return 1 }  // 2^63: above every Int64
    if d < -9_223_372_036_854_775_808.0 { return -1 }
    let t = d.rounded(.down)
    let ti = Int64(t)  // in range: checked above
    if ti != i { return ti < i ? -1 : 1 }
    return d > t ? 1 : 0
}
