import Engram
import Foundation

/// JSON text to and from ``Value``, for the CLI.
enum JSONValue {
    /// Parses JSON text. Integers stay integers; objects become maps.
    ///
    /// - Throws: `INVALID_ARGUMENT` for text that is not JSON.
    static func parse(_ text: String) throws -> Value {
        do {
            return try JSONDecoder().decode(Node.self, from: Data(text.utf8)).value
        } catch {
            throw EngramError(.invalidArgument, "not valid JSON: \(error)")
        }
    }

    /// Renders `value` as JSON: vectors as arrays of numbers, bytes as
    /// `{"$bytes": "<base64>"}`, non-finite floats as strings.
    static func render(_ value: Value, indent: String = "", pretty: Bool = true) -> String {
        let nl = pretty ? "\n" : ""
        let inner = pretty ? indent + "  " : ""
        let sep = pretty ? ": " : ":"
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)") : quote("\(d)")
        case .string(let s): return quote(s)
        case .bytes(let b): return "{\(quote("$bytes"))\(sep)\(quote(Data(b).base64EncodedString()))}"
        case .vector(let v): return "[" + v.map { "\($0)" }.joined(separator: ",") + "]"
        case .array(let a):
            if a.isEmpty { return "[]" }
            return "[" + nl + a.map { inner + render($0, indent: inner, pretty: pretty) }.joined(separator: "," + nl) + nl + indent + "]"
        case .map(let m):
            if m.isEmpty { return "{}" }
            return "{" + nl + m.map { inner + quote($0.key) + sep + render($0.value, indent: inner, pretty: pretty) }
                .joined(separator: "," + nl) + nl + indent + "}"
        }
    }

    private static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    private struct Node: Decodable {
        let value: Value

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: Decoder) throws {
            if let object = try? decoder.container(keyedBy: Key.self) {
                var m: ValueMap = [:]
                for k in object.allKeys { m[k.stringValue] = try object.decode(Node.self, forKey: k).value }
                value = .map(m)
            } else if var array = try? decoder.unkeyedContainer() {
                var a: [Value] = []
                while !array.isAtEnd { a.append(try array.decode(Node.self).value) }
                value = .array(a)
            } else {
                let c = try decoder.singleValueContainer()
                if c.decodeNil() {
                    value = .null
                } else if let b = try? c.decode(Bool.self) {
                    value = .bool(b)
                } else if let i = try? c.decode(Int64.self) {
                    value = .int(i)
                } else if let d = try? c.decode(Double.self) {
                    value = .double(d)
                } else {
                    value = .string(try c.decode(String.self))
                }
            }
        }
    }
}
