import EngramCore
import EngramStorage

/// Checks arguments against their declaration before a function runs (schema.md §0.9,
/// with Engram's policy from the contract's README).
///
/// - An undeclared key, at the top level or inside an object argument, is rejected.
/// - A missing required key is rejected.
/// - `null` for an optional key whose type is not `any` means absent: the key is
///   dropped (the hosted backend rejects it; the SDKs send it).
/// - Literals match exactly; numbers accept any int or float and become float64.
///
/// A rejection is `ARGUMENT_VALIDATION_ERROR` with a message that starts with
/// `ArgumentValidationError` and names the offending path.
enum ArgumentValidator {
    /// The validated (normalised) arguments.
    static func validate(_ args: ValueMap, against fields: [ArgumentField]) throws -> ValueMap {
        try validateObject(args, fields, path: "")
    }

    private static func fail(_ message: String) -> EngramError {
        EngramError(.argumentValidation, "ArgumentValidationError: \(message)")
    }

    private static func validateObject(_ object: ValueMap, _ fields: [ArgumentField], path: String) throws -> ValueMap {
        for key in object.keys where !fields.contains(where: { $0.name == key }) {
            throw fail("Object contains extra field `\(key)` that is not in the validator.\nPath: \(path.isEmpty ? "." : path)")
        }
        var out = ValueMap(minimumCapacity: object.count)
        for field in fields {
            let fieldPath = "\(path).\(field.name)"
            guard let value = object[field.name], !(field.optional && value.isNull && !field.type.acceptsNull) else {
                if !field.optional {
                    throw fail(
                        "Object is missing the required field `\(field.name)`. Consider wrapping the field validator in `v.optional(...)` if this is expected.\nPath: \(path.isEmpty ? "." : path)")
                }
                continue
            }
            out[field.name] = try validateValue(value, field.type, path: fieldPath)
        }
        return out
    }

    private static func validateValue(_ value: Value, _ type: ArgumentType, path: String) throws -> Value {
        func mismatch() -> EngramError {
            fail("Value does not match validator.\nPath: \(path)\nValue: \(describe(value))\nValidator: \(type.validatorDescription)")
        }
        switch type {
        case .any:
            return value
        case .string:
            guard case .string = value else { throw mismatch() }
            return value
        case .number:
            guard let d = value.doubleValue else { throw mismatch() }
            return .double(d)
        case .boolean:
            guard case .bool = value else { throw mismatch() }
            return value
        case .null:
            guard case .null = value else { throw mismatch() }
            return value
        case .literals(let allowed):
            guard case .string(let s) = value, allowed.contains(s) else { throw mismatch() }
            return value
        case .array(let element):
            guard case .array(let items) = value else { throw mismatch() }
            return .array(try items.enumerated().map { try validateValue($1, element, path: "\(path)[\($0)]") })
        case .object(let fields):
            guard case .map(let m) = value else { throw mismatch() }
            return .map(try validateObject(m, fields, path: path))
        case .id(let tables):
            guard case .string(let s) = value, let id = try? DocumentID(s),
                tables.contains(where: { CollectionSchema.tag(for: $0) == id.collectionTag })
            else { throw mismatch() }
            return value
        case .union(let types):
            for t in types {
                if let v = try? validateValue(value, t, path: path) { return v }
            }
            throw mismatch()
        }
    }

    private static func describe(_ value: Value) -> String {
        switch value {
        case .string(let s): return "\"\(s.prefix(80))\""
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .int(let i): return "\(i)"
        case .double(let d): return "\(d)"
        default: return value.typeName
        }
    }
}

extension ArgumentType {
    /// Whether `null` is a real value of this type (then an optional `null` is kept).
    var acceptsNull: Bool {
        switch self {
        case .any, .null: return true
        case .union(let ts): return ts.contains { $0.acceptsNull }
        default: return false
        }
    }
}
