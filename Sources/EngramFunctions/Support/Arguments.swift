import EngramCore

/// Typed access to validated arguments.
///
/// Handlers receive arguments that ``ArgumentValidator`` has already checked against
/// their declaration, so a required key is present with its declared type. These
/// accessors read them without force unwraps; a mismatch means the declaration and
/// the handler disagree, which they report as `INTERNAL`.
extension ValueMap {
    /// The required string argument `key`. Throws `INTERNAL` if it is not a string.
    public func string(_ key: String) throws -> String {
        guard let s = self[key]?.stringValue else { throw Self.undeclared(key, "string") }
        return s
    }

    /// The optional string argument `key` (nil when absent).
    public func optionalString(_ key: String) -> String? { self[key]?.stringValue }

    /// The required number argument `key`. Throws `INTERNAL` if it is not a number.
    public func number(_ key: String) throws -> Double {
        guard let d = self[key]?.doubleValue else { throw Self.undeclared(key, "number") }
        return d
    }

    /// The optional number argument `key` (nil when absent).
    public func optionalNumber(_ key: String) -> Double? { self[key]?.doubleValue }

    /// The required boolean argument `key`. Throws `INTERNAL` if it is not a boolean.
    public func bool(_ key: String) throws -> Bool {
        guard let b = self[key]?.boolValue else { throw Self.undeclared(key, "boolean") }
        return b
    }

    /// The optional array-of-strings argument `key` (nil when absent).
    public func optionalStrings(_ key: String) -> [String]? {
        self[key]?.arrayValue?.compactMap(\.stringValue)
    }

    private static func undeclared(_ key: String, _ type: String) -> EngramError {
        EngramError(.internal, "argument '\(key)' should be a validated \(type)")
    }
}
