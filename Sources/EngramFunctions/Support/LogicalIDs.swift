/// The logical ids the reference backend mints for new records (`fact-<now>-<r>`,
/// `fh-<now>-<r>`, …): a prefix, "now" in decimal milliseconds and a random suffix.
public enum LogicalID {
    private static let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")

    /// `<prefix>-<now>-<r>`, where `<r>` is `length` random characters of `[0-9a-z]`
    /// (the reference takes them from `Math.random().toString(36)`; 9 is what it
    /// almost always produces). Uniqueness is not checked, as in the reference.
    public static func make(_ prefix: String, now: UInt64, length: Int = 9) -> String {
        "\(prefix)-\(now)-\(randomBase36(length))"
    }

    /// `length` random characters of `[0-9a-z]`.
    public static func randomBase36(_ length: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in digits[Int(rng.next(upperBound: UInt64(digits.count)))] })
    }
}
