import EngramCore
import EngramStorage

/// The type of a function argument, as the contract writes it (schema.md §0.1).
public indirect enum ArgumentType: Sendable {
    /// Any string.
    case string
    /// Any float64 (an integer is accepted and becomes a float64).
    case number
    /// `true` or `false`.
    case boolean
    /// Any value, `null` and nested containers included.
    case any
    /// Exactly `null`.
    case null
    /// One of these exact strings (case-sensitive).
    case literals([String])
    /// An array whose every element has this type.
    case array(ArgumentType)
    /// An object with exactly these fields (extra keys are rejected).
    case object([ArgumentField])
    /// A document id of one of these collections.
    case id([String])
    /// Any one of these types.
    case union([ArgumentType])

    /// The validator's description, in the hosted backend's `v.` notation.
    var validatorDescription: String {
        switch self {
        case .string: return "v.string()"
        case .number: return "v.float64()"
        case .boolean: return "v.boolean()"
        case .any: return "v.any()"
        case .null: return "v.null()"
        case .literals(let ls):
            let parts = ls.map { "v.literal(\"\($0)\")" }
            return parts.count == 1 ? parts[0] : "v.union(\(parts.joined(separator: ", ")))"
        case .array(let t): return "v.array(\(t.validatorDescription))"
        case .object(let fs):
            return "v.object({" + fs.map { "\($0.name): \($0.optional ? "v.optional(\($0.type.validatorDescription))" : $0.type.validatorDescription)" }.joined(separator: ", ") + "})"
        case .id(let tables): return tables.map { "v.id(\"\($0)\")" }.joined(separator: " | ")
        case .union(let ts): return "v.union(\(ts.map(\.validatorDescription).joined(separator: ", ")))"
        }
    }
}

/// One declared argument (or field of an object argument).
public struct ArgumentField: Sendable {
    /// The key.
    public let name: String
    /// Its type.
    public let type: ArgumentType
    /// Whether the key may be absent (and, under Engram's policy, `null`).
    public let optional: Bool

    /// A required field.
    public static func required(_ name: String, _ type: ArgumentType) -> ArgumentField {
        ArgumentField(name: name, type: type, optional: false)
    }

    /// An optional field.
    public static func optional(_ name: String, _ type: ArgumentType) -> ArgumentField {
        ArgumentField(name: name, type: type, optional: true)
    }
}
