import EngramCore

/// JavaScript's `a + b` and `a - b` on stored values (for `mutable:update` and
/// `mutable:transaction`): objects become primitives first (`[1,2]` → `"1,2"`, an
/// object → `"[object Object]"`); `+` concatenates when either side is then a
/// string, otherwise both sides become numbers (`null` → 0, `true` → 1, `"5"` → 5,
/// `"x"` → NaN). Results are float64 or string values.
extension JavaScript {
    /// `a + b`.
    public static func add(_ a: Value, _ b: Value) -> Value {
        let x = primitive(a), y = primitive(b)
        if case .string = x { return .string(text(x) + text(y)) }
        if case .string = y { return .string(text(x) + text(y)) }
        return .double(number(x) + number(y))
    }

    /// `a - b`.
    public static func subtract(_ a: Value, _ b: Value) -> Value {
        .double(number(primitive(a)) - number(primitive(b)))
    }

    /// `ToPrimitive`: null, booleans, numbers and strings stay; containers become strings.
    private static func primitive(_ v: Value) -> Value {
        switch v {
        case .null, .bool, .int, .double, .string: return v
        default: return .string(text(v))
        }
    }

    /// `String(v)`: arrays join their elements with "," (null as ""), objects are
    /// `[object Object]`, bytes `[object ArrayBuffer]`.
    private static func text(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return numberText(d)
        case .string(let s): return s
        case .array(let items): return items.map { $0.isNull ? "" : text($0) }.joined(separator: ",")
        case .vector(let items): return items.map { numberText(Double($0)) }.joined(separator: ",")
        case .map: return "[object Object]"
        case .bytes: return "[object ArrayBuffer]"
        }
    }

    /// `ToNumber` of a primitive.
    private static func number(_ v: Value) -> Double {
        switch v {
        case .null: return 0
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s): return number(parsing: s)
        default: return .nan
        }
    }

    /// `Number(s)`: surrounding whitespace ignored, `""` is 0, decimal literals with an
    /// optional sign and exponent, `Infinity`, and unsigned `0x`/`0o`/`0b` integers;
    /// anything else is NaN.
    static func number(parsing s: String) -> Double {
        var scalars = Array(s.unicodeScalars)
        while let f = scalars.first, isWhitespace(f) { scalars.removeFirst() }
        while let l = scalars.last, isWhitespace(l) { scalars.removeLast() }
        if scalars.isEmpty { return 0 }
        let t = String(String.UnicodeScalarView(scalars))
        if scalars.count > 2, scalars[0] == "0" {
            let radix: Int? = switch scalars[1] { case "x", "X": 16; case "o", "O": 8; case "b", "B": 2; default: nil }
            if let radix {
                var value = 0.0
                for c in scalars.dropFirst(2) {
                    guard let digit = Int(String(c), radix: radix) else { return .nan }
                    value = value * Double(radix) + Double(digit)
                }
                return value
            }
        }
        var body = Substring(t)
        var sign = 1.0
        if let f = body.first, f == "+" || f == "-" {
            sign = f == "-" ? -1 : 1
            body = body.dropFirst()
        }
        if body == "Infinity" { return sign * .infinity }
        guard isDecimalLiteral(body), let d = Double(body) else { return .nan }
        return sign * d
    }

    /// `digits [. digits] [e [+-] digits]` with at least one digit before the exponent.
    private static func isDecimalLiteral(_ s: Substring) -> Bool {
        var i = s.startIndex, mantissaDigits = 0
        func digits() -> Int {
            var n = 0
            while i < s.endIndex, s[i].isASCII, s[i].isNumber { i = s.index(after: i); n += 1 }
            return n
        }
        mantissaDigits += digits()
        if i < s.endIndex, s[i] == "." {
            i = s.index(after: i)
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return false }
        if i < s.endIndex, s[i] == "e" || s[i] == "E" {
            i = s.index(after: i)
            if i < s.endIndex, s[i] == "+" || s[i] == "-" { i = s.index(after: i) }
            guard digits() > 0 else { return false }
        }
        return i == s.endIndex
    }
}
