import EngramCore

/// JavaScript's string and number-to-text semantics, where they reach results:
/// positions and lengths in UTF-16 code units, `indexOf`, `startsWith`, `\s`,
/// `String(number)` and `Date.prototype.toISOString`.
extension JavaScript {
    /// `s.length`: the number of UTF-16 code units.
    public static func length(_ s: String) -> Int { s.utf16.count }

    /// `haystack.indexOf(needle)` in UTF-16 code units, or nil for -1. An empty needle
    /// is found at 0. Code units are compared exactly (no normalisation), as JavaScript does.
    public static func indexOf(_ haystack: String, _ needle: String) -> Int? {
        let h = Array(haystack.utf16), n = Array(needle.utf16)
        if n.isEmpty { return 0 }
        guard n.count <= h.count else { return nil }
        var i = 0
        while i + n.count <= h.count {
            if h[i] == n[0] && h[i..<(i + n.count)].elementsEqual(n) { return i }
            i += 1
        }
        return nil
    }

    /// Whether `haystack.includes(needle)` (UTF-16 code units).
    public static func includes(_ haystack: String, _ needle: String) -> Bool {
        indexOf(haystack, needle) != nil
    }

    /// `s.startsWith(prefix)` (UTF-16 code units).
    public static func startsWith(_ s: String, _ prefix: String) -> Bool {
        s.utf16.starts(with: prefix.utf16)
    }

    /// `s.substring(start, end)` with already-normalised UTF-16 bounds, clamped to the
    /// string. A bound that splits a surrogate pair yields U+FFFD for the broken half.
    public static func substring(_ s: String, from start: Int, to end: Int) -> String {
        let units = Array(s.utf16)
        let a = max(0, min(start, units.count)), b = max(a, min(end, units.count))
        return String(decoding: units[a..<b], as: UTF16.self)
    }

    /// Whether `scalar` matches JavaScript's `\s` (WhiteSpace and LineTerminator).
    public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: return true
        default: return false
        }
    }

    /// `s.split(/\s+/).filter(w => w)`: the non-empty runs between whitespace.
    public static func words(_ s: String) -> [String] {
        var out: [String] = [], current = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if isWhitespace(scalar) {
                if !current.isEmpty { out.append(String(current)) }
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    /// `String(x)` for a number: `NaN`, `Infinity`, `-Infinity`, else the shortest
    /// round-tripping form (`10`, `10.5`, `1e+21`).
    public static func numberText(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        return JSONText.number(x)
    }

    /// `new Date(ms).toISOString()`: `YYYY-MM-DDTHH:MM:SS.sssZ` in UTC (years outside
    /// 0…9999 as `±YYYYYY`), fractional milliseconds truncated toward zero. Nil where
    /// JavaScript throws `RangeError` (not finite, or beyond ±8.64e15 ms).
    public static func isoString(milliseconds: Double) -> String? {
        guard milliseconds.isFinite, abs(milliseconds) <= 8.64e15 else { return nil }
        let ms = Int64(milliseconds.rounded(.towardZero))
        let dayMs: Int64 = 86_400_000
        var days = ms / dayMs, rest = ms % dayMs
        if rest < 0 { rest += dayMs; days -= 1 }
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func pad(_ n: Int64, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let yearText = (0...9999).contains(year) ? pad(year, 4) : (year < 0 ? "-" : "+") + pad(abs(year), 6)
        return "\(yearText)-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3_600_000, 2)):\(pad(rest / 60_000 % 60, 2)):"
            + "\(pad(rest / 1000 % 60, 2)).\(pad(rest % 1000, 3))Z"
    }

    /// The proleptic Gregorian (year, month, day) of a day count from 1970-01-01.
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        // Eras of 400 years (146097 days) starting on March 1st, so leap days fall last.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
