@_exported import OrderedCollections

/// A map from field names to values that keeps insertion order.
///
/// Documents, function arguments and results are all `ValueMap`s. Order matters to
/// clients (a returned document's keys come back in the order they were written) and
/// to the key encoding of map-valued index entries.
public typealias ValueMap = OrderedDictionary<String, Value>

/// The document model: every stored field, argument and result is a `Value`.
///
/// Numbers come in two cases, `int` and `double`, that compare and hash numerically,
/// so `.int(5) == .double(5.0)`. The total order across types (used by indexes and
/// sorting) is: null < numbers < booleans < strings < bytes < arrays < maps < vectors.
/// A field that is absent is represented by `nil` (an `Optional<Value>`), which sorts
/// before every value.
///
/// `vector` holds a dense float32 embedding. It is stored and transmitted as raw
/// little-endian float32, never as a list of numbers.
public enum Value: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case array([Value])
    case map(ValueMap)
    case vector([Float])
}

// MARK: - Accessors

extension Value {
    /// The string, if this is a string.
    @inlinable public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number as a `Double`, if this is an `int` or a `double`.
    @inlinable public var doubleValue: Double? {
        switch self {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: return nil
        }
    }

    /// The number as an `Int64`, if this is an `int`, or a `double` with an exact
    /// integral value inside `Int64`'s range.
    @inlinable public var int64Value: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d): return Int64(exactly: d)
        default: return nil
        }
    }

    /// The boolean, if this is a boolean.
    @inlinable public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, if this is an array.
    @inlinable public var arrayValue: [Value]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The fields, if this is a map.
    @inlinable public var mapValue: ValueMap? {
        if case .map(let m) = self { return m }
        return nil
    }

    /// The components, if this is a float32 vector.
    @inlinable public var vectorValue: [Float]? {
        if case .vector(let v) = self { return v }
        return nil
    }

    /// True for `null`.
    @inlinable public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// True for `int` and `double`.
    @inlinable public var isNumber: Bool {
        switch self {
        case .int, .double: return true
        default: return false
        }
    }

    /// The field `key` of a map; `nil` when absent or when this is not a map.
    @inlinable public subscript(key: String) -> Value? {
        if case .map(let m) = self { return m[key] }
        return nil
    }

    /// The name of this value's type, as used in error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .bytes: return "bytes"
        case .array: return "array"
        case .map: return "object"
        case .vector: return "vector"
        }
    }
}

// MARK: - Literals (used heavily by tests and by declarative schemas)

extension Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .map(ValueMap(elements, uniquingKeysWith: { _, last in last }))
    }
}
