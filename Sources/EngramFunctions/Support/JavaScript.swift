import EngramCore

/// The JavaScript semantics that leak into the contract's results (schema.md §0.12).
///
/// The reference backend is JavaScript; wherever its behaviour depends on the language
/// (truthiness, string comparison, rounding, slicing, lower-casing), catalogue code
/// calls these instead of the Swift equivalents.
public enum JavaScript {
    /// JavaScript truthiness: absent, `null`, `false`, `0`, `NaN` and `""` are falsy;
    /// everything else (empty arrays and objects included) is truthy.
    public static func isTruthy(_ value: Value?) -> Bool {
        guard let value else { return false }
        switch value {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0 && !d.isNaN
        case .string(let s): return !s.isEmpty
        default: return true
        }
    }

    /// `a < b` on strings as JavaScript compares them: by UTF-16 code units.
    public static func less(_ a: String, _ b: String) -> Bool {
        a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    /// Three-way comparison of strings by UTF-16 code units.
    public static func compare(_ a: String, _ b: String) -> Int {
        less(a, b) ? -1 : (a == b ? 0 : 1)
    }

    /// `s.toLowerCase()`: Unicode default lower-casing, no locale.
    public static func lowercase(_ s: String) -> String { s.lowercased() }

    /// Case-insensitive containment as the reference does it: lower-case both sides,
    /// then test substring containment on UTF-16 code units (`includes`). An empty
    /// needle matches everything.
    public static func containsIgnoringCase(_ haystack: String, _ needle: String) -> Bool {
        includes(lowercase(haystack), lowercase(needle))
    }

    /// `Math.round`: halves round toward +∞ (2.5 → 3, -2.5 → -2).
    public static func round(_ x: Double) -> Double {
        (x + 0.5).rounded(.down)
    }

    /// The window `array.slice(start, end)` selects: bounds truncated toward zero,
    /// negative bounds counted from the end, clamped; empty when start ≥ end.
    public static func sliceRange(count: Int, start: Double?, end: Double?) -> Range<Int> {
        func normalise(_ bound: Double?, default d: Int) -> Int {
            guard let bound, !bound.isNaN else { return bound == nil ? d : 0 }
            if bound == .infinity { return count }
            if bound == -.infinity { return 0 }
            let t = Int(max(min(bound.rounded(.towardZero), Double(Int.max / 2)), Double(Int.min / 2)))
            return t < 0 ? max(count + t, 0) : min(t, count)
        }
        let s = normalise(start, default: 0), e = normalise(end, default: count)
        return s < e ? s..<e : s..<s
    }

    /// `array.slice(start, end)`.
    public static func slice<T>(_ array: [T], start: Double?, end: Double? = nil) -> [T] {
        Array(array[sliceRange(count: array.count, start: start, end: end)])
    }

    /// A stable sort (equal elements keep their order), as JavaScript's `Array.prototype.sort`.
    public static func stableSorted<T>(_ array: [T], by less: (T, T) -> Bool) -> [T] {
        array.enumerated().sorted { a, b in
            if less(a.element, b.element) { return true }
            if less(b.element, a.element) { return false }
            return a.offset < b.offset
        }.map(\.element)
    }
}

extension JavaScript {
    /// The count for a hosted "take first n" step: a non-negative integer, else the
    /// platform's plain TypeError (`Arg 1 \`n\` to \`take\` must be a non-negative integer`).
    public static func takeCount(_ n: Double) throws -> Int {
        guard n >= 0, n == n.rounded(), n < Double(Int.max) else { throw EngramError.takeArgument() }
        return Int(n)
    }
}
