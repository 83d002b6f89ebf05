import EngramCore

/// A condition on a document, the `WHERE` of the programmatic query API.
///
/// Semantics (documented in QueryLanguage.md as well):
/// - `=` never matches an absent field; `!=` is its negation, so it matches one.
/// - `<`, `<=`, `>`, `>=` compare within one type class only (numbers with numbers,
///   strings with strings, …): `x < 5` never matches a string or an absent field.
/// - `IN` matches when the field equals any listed value.
/// - `CONTAINS` matches when any value reachable at the path (stepping into arrays)
///   equals the value: `tags CONTAINS "a"` for `tags: ["a", "b"]`.
/// - `EXISTS` matches when the field is present (a `null` is present).
public indirect enum Predicate: Sendable, Hashable {
    /// A comparison operator.
    public enum Comparison: String, Sendable, Hashable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    case compare(FieldPath, Comparison, Value)
    case isIn(FieldPath, [Value])
    case contains(FieldPath, Value)
    case exists(FieldPath)
    case and([Predicate])
    case or([Predicate])
    case not(Predicate)

    /// `path = value`.
    public static func eq(_ path: FieldPath, _ value: Value) -> Predicate { .compare(path, .equal, value) }
    /// `path != value`.
    public static func ne(_ path: FieldPath, _ value: Value) -> Predicate { .compare(path, .notEqual, value) }
    /// `path < value`.
    public static func lt(_ path: FieldPath, _ value: Value) -> Predicate { .compare(path, .less, value) }
    /// `path <= value`.
    public static func le(_ path: FieldPath, _ value: Value) -> Predicate { .compare(path, .lessOrEqual, value) }
    /// `path > value`.
    public static func gt(_ path: FieldPath, _ value: Value) -> Predicate { .compare(path, .greater, value) }
    /// `path >= value`.
    public static func ge(_ path: FieldPath, _ value: Value) -> Predicate { .compare(path, .greaterOrEqual, value) }

    /// Whether `document` satisfies the condition.
    public func matches(_ document: Document) -> Bool {
        switch self {
        case .compare(let path, let op, let value):
            guard let field = document.lookup(path) else { return op == .notEqual }
            return Self.compare(field, op, value)
        case .isIn(let path, let values):
            guard let field = document.lookup(path) else { return false }
            return values.contains(field)
        case .contains(let path, let value):
            return document.lookupAll(path).contains(value)
        case .exists(let path):
            return document.lookup(path) != nil
        case .and(let ps):
            return ps.allSatisfy { $0.matches(document) }
        case .or(let ps):
            return ps.contains { $0.matches(document) }
        case .not(let p):
            return !p.matches(document)
        }
    }

    static func compare(_ field: Value, _ op: Comparison, _ value: Value) -> Bool {
        switch op {
        case .equal: return field == value
        case .notEqual: return field != value
        default:
            guard field.typeRank == value.typeRank else { return false }
            let c = Value.compare(field, value)
            switch op {
            case .less: return c < 0
            case .lessOrEqual: return c <= 0
            case .greater: return c > 0
            default: return c >= 0
            }
        }
    }

    /// The top-level conjuncts: the operands of an outer `AND` (flattened), or self.
    var conjuncts: [Predicate] {
        if case .and(let ps) = self { return ps.flatMap(\.conjuncts) }
        return [self]
    }

    /// A stable description of the predicate, used to tie cursors to their query.
    var encoded: Value {
        switch self {
        case .compare(let p, let op, let v): return [.string(op.rawValue), .string(p.description), v]
        case .isIn(let p, let vs): return ["IN", .string(p.description), .array(vs)]
        case .contains(let p, let v): return ["CONTAINS", .string(p.description), v]
        case .exists(let p): return ["EXISTS", .string(p.description)]
        case .and(let ps): return .array(["AND"] + ps.map(\.encoded))
        case .or(let ps): return .array(["OR"] + ps.map(\.encoded))
        case .not(let p): return ["NOT", p.encoded]
        }
    }
}
