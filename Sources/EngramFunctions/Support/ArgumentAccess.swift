import EngramCore

/// Typed reads of validated arguments (and of stored fields), with JavaScript's
/// "is set" (truthy) and "is present" (key exists) distinctions (schema.md §0.12).
extension ValueMap {
    /// The string at `key`, if present.
    public func string(_ key: String) -> String? { self[key]?.stringValue }

    /// The string at `key` if it is set (present and not `""`).
    public func setString(_ key: String) -> String? {
        guard let s = self[key]?.stringValue, !s.isEmpty else { return nil }
        return s
    }

    /// The number at `key`, if present.
    public func number(_ key: String) -> Double? { self[key]?.doubleValue }

    /// The number at `key` if it is set (present, not 0 and not NaN).
    public func setNumber(_ key: String) -> Double? {
        guard let d = self[key]?.doubleValue, d != 0, !d.isNaN else { return nil }
        return d
    }

    /// The boolean at `key`, if present.
    public func bool(_ key: String) -> Bool? { self[key]?.boolValue }

    /// Whether the value at `key` is truthy.
    public func isSet(_ key: String) -> Bool { JavaScript.isTruthy(self[key]) }

    /// The array at `key`, if present.
    public func array(_ key: String) -> [Value]? { self[key]?.arrayValue }

    /// The object at `key`, if present.
    public func object(_ key: String) -> ValueMap? { self[key]?.mapValue }

    /// `self[key] || fallback` for a number (JavaScript `||`).
    public func number(_ key: String, orDefault fallback: Double) -> Double {
        setNumber(key) ?? fallback
    }
}
