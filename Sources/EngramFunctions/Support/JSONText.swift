import EngramCore

/// `JSON.stringify` as the reference backend produces it for exports.
///
/// Compact (or indented with `space`), `/` and non-ASCII not escaped, integer-valued
/// numbers without a decimal point, other numbers in JavaScript's shortest form.
/// Object keys come out in the order the hosted store returns them: sorted by code
/// point, and then, as JavaScript enumerates objects, integer-like keys ("0", "10")
/// first in numeric order.
public enum JSONText {
    /// The JSON text of `value`. Vectors are written as arrays of numbers, bytes as
    /// arrays of byte values. Objects nested fewer than `insertionOrderDepth` levels
    /// deep keep their keys in insertion order (for results the reference builds as
    /// object literals, e.g. export rows at depth 1); deeper ones use the stored order.
    public static func stringify(_ value: Value, space: Int = 0, insertionOrderDepth: Int = 0) -> String {
        var out = ""
        write(value, into: &out, space: space, depth: 0, ordered: insertionOrderDepth)
        return out
    }

    private static func write(_ value: Value, into out: inout String, space: Int, depth: Int, ordered: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += number(d)
        case .string(let s): quote(s, into: &out)
        case .bytes(let b): write(.array(b.map { .int(Int64($0)) }), into: &out, space: space, depth: depth, ordered: ordered)
        case .vector(let v): write(.array(v.map { .double(Double($0)) }), into: &out, space: space, depth: depth, ordered: ordered)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += "," }
                newline(into: &out, space: space, depth: depth + 1)
                write(e, into: &out, space: space, depth: depth + 1, ordered: ordered)
            }
            newline(into: &out, space: space, depth: depth)
            out += "]"
        case .map(let m):
            if m.isEmpty { out += "{}"; return }
            out += "{"
            let keys = depth < ordered ? Array(m.keys) : enumerationOrder(Array(m.keys))
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                newline(into: &out, space: space, depth: depth + 1)
                quote(key, into: &out)
                out += space > 0 ? ": " : ":"
                write(m[key]!, into: &out, space: space, depth: depth + 1, ordered: ordered)  // key comes from m.keys
            }
            newline(into: &out, space: space, depth: depth)
            out += "}"
        }
    }

    private static func newline(into out: inout String, space: Int, depth: Int) {
        guard space > 0 else { return }
        out += "\n" + String(repeating: " ", count: space * depth)
    }

    /// Stored order (code point), then JavaScript's: array-index keys first, ascending.
    static func enumerationOrder(_ keys: [String]) -> [String] {
        let sorted = keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        return JavaScript.enumerationOrder(sorted)
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// JavaScript's `Number.prototype.toString()` for a double.
    public static func number(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "null" }  // JSON.stringify writes non-finite numbers as null
        if d == 0 { return "0" }
        if d == d.rounded(), abs(d) < 1e21 { return String(Int64(d)) }
        // Swift's description gives the shortest round-tripping digits; re-format them
        // with JavaScript's exponent rules (exponential when exp >= 21 or exp <= -7).
        let text = "\(abs(d))"
        var digits = "", exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!  // Swift prints a valid exponent
            let mantissa = text[..<e]
            let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
            digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
            exponent += parts[0].count - 1
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            let intPart = String(parts[0]), frac = parts.count > 1 ? String(parts[1]) : ""
            if intPart != "0" {
                digits = intPart + frac
                exponent = intPart.count - 1
            } else {
                let lead = frac.prefix { $0 == "0" }.count
                digits = String(frac.dropFirst(lead))
                exponent = -lead - 1
            }
        }
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
        while digits.count > 1, digits.hasPrefix("0") { digits.removeFirst() }
        let sign = d < 0 ? "-" : ""
        let k = digits.count, n = exponent + 1
        if k <= n && n <= 21 {
            return sign + digits + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            return sign + digits.prefix(n) + "." + digits.dropFirst(n)
        } else if -6 < n && n <= 0 {
            return sign + "0." + String(repeating: "0", count: -n) + digits
        }
        let e = n - 1
        let mantissa = k == 1 ? digits : digits.prefix(1) + "." + digits.dropFirst()
        return sign + mantissa + "e" + (e >= 0 ? "+" : "-") + String(abs(e))
    }
}
