import EngramCore

/// Typed reads of validated arguments (and of stored fields).
///
/// Handlers receive arguments that ``ArgumentValidator`` has already checked against
/// their declaration. The `required…` accessors read keys the declaration requires,
/// without force unwraps: a mismatch means the declaration and the handler disagree,
/// which they report as `INTERNAL`. The plain accessors return nil when a key is
/// absent; the `set…` ones apply JavaScript's "is set" (truthy) rule (schema.md §0.12).
extension ValueMap {
    /// The required string `key`. Throws `INTERNAL` if it is not a string.
    public func requiredString(_ key: String) throws -> String {
        guard let s = self[key]?.stringValue else { throw Self.undeclared(key, "string") }
        return s
    }

    /// The required number `key`. Throws `INTERNAL` if it is not a number.
    public func requiredNumber(_ key: String) throws -> Double {
        guard let d = self[key]?.doubleValue else { throw Self.undeclared(key, "number") }
        return d
    }

    /// The required boolean `key`. Throws `INTERNAL` if it is not a boolean.
    public func requiredBool(_ key: String) throws -> Bool {
        guard let b = self[key]?.boolValue else { throw Self.undeclared(key, "boolean") }
        return b
    }

    /// The string at `key`, if present.
    public func string(_ key: String) -> String? { self[key]?.stringValue }

    /// The number at `key`, if present.
    public func number(_ key: String) -> Double? { self[key]?.doubleValue }

    /// The boolean at `key`, if present.
    public func bool(_ key: String) -> Bool? { self[key]?.boolValue }

    /// The array at `key`, if present.
    public func array(_ key: String) -> [Value]? { self[key]?.arrayValue }

    /// The object at `key`, if present.
    public func object(_ key: String) -> ValueMap? { self[key]?.mapValue }

    /// The strings of the array at `key`, if present.
    public func strings(_ key: String) -> [String]? { self[key]?.arrayValue?.compactMap(\.stringValue) }

    /// The string at `key` if it is set (present and not `""`).
    public func setString(_ key: String) -> String? {
        guard let s = self[key]?.stringValue, !s.isEmpty else { return nil }
        return s
    }

    /// The number at `key` if it is set (present, not 0 and not NaN).
    public func setNumber(_ key: String) -> Double? {
        guard let d = self[key]?.doubleValue, d != 0, !d.isNaN else { return nil }
        return d
    }

    /// Whether the value at `key` is truthy.
    public func isSet(_ key: String) -> Bool { JavaScript.isTruthy(self[key]) }

    /// `self[key] || fallback` for a number (JavaScript `||`).
    public func number(_ key: String, orDefault fallback: Double) -> Double {
        setNumber(key) ?? fallback
    }

    private static func undeclared(_ key: String, _ type: String) -> EngramError {
        EngramError(.internal, "argument '\(key)' should be a validated \(type)")
    }
}
