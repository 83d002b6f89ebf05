import EngramCore

/// JavaScript's number and date formatting, where the reference formats values into
/// text results: `String(number)` and `Date.prototype.toISOString`.
extension JavaScript {
    /// `String(x)` for a number: `NaN`, `Infinity`, `-Infinity`, else the shortest
    /// round-tripping form (`10`, `10.5`, `1e+21`).
    public static func numberText(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        return JSONText.number(x)
    }

    /// `new Date(ms).toISOString()`: `YYYY-MM-DDTHH:MM:SS.sssZ` in UTC (years outside
    /// 0…9999 as `±YYYYYY`), fractional milliseconds truncated toward zero. Nil where
    /// JavaScript throws `RangeError: Invalid time value` (not finite, or beyond
    /// ±8.64e15 ms).
    public static func isoString(milliseconds: Double) -> String? {
        guard milliseconds.isFinite, abs(milliseconds) <= 8.64e15 else { return nil }
        let ms = Int64(milliseconds.rounded(.towardZero))
        let msPerDay: Int64 = 86_400_000
        var days = ms / msPerDay, inDay = ms % msPerDay
        if inDay < 0 {
            inDay += msPerDay
            days -= 1
        }
        let (year, month, day) = gregorianDate(daysSinceEpoch: days)
        let yearText = (0...9999).contains(year) ? padded(year, 4) : (year < 0 ? "-" : "+") + padded(abs(year), 6)
        let time = [inDay / 3_600_000, inDay / 60_000 % 60, inDay / 1000 % 60].map { padded($0, 2) }.joined(separator: ":")
        return "\(yearText)-\(padded(month, 2))-\(padded(day, 2))T\(time).\(padded(inDay % 1000, 3))Z"
    }

    private static func padded(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// The proleptic Gregorian (year, month, day) of a day count from 1970-01-01
    /// (Howard Hinnant's days-to-civil algorithm: 400-year eras that start on March 1st).
    private static func gregorianDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
