import EngramCore

/// Random values for property tests, biased toward the cases that break encodings:
/// boundary numbers, int/double ties, strings with NUL and 0xFF-ish bytes, nesting.
struct RandomValues {
    var rng: any RandomNumberGenerator = SystemRandomNumberGenerator()

    mutating func number() -> Value {
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return .int(Int64.random(in: -5...5, using: &rng))
        case 1: return .double(Double(Int.random(in: -5...5, using: &rng)))  // ties with ints
        case 2: return .double(Double.random(in: -1e6...1e6, using: &rng))
        case 3: return .int([Int64.max, .min, (1 << 53) + 1, -(1 << 53) - 1, 1 << 62].randomElement(using: &rng)!)
        case 4: return .double([0.0, -0.0, .infinity, -.infinity, .nan, 1e-300, 9_007_199_254_740_992].randomElement(using: &rng)!)
        case 5: return .double(Double.random(in: -1...1, using: &rng))
        case 6: return .int(Int64.random(in: .min ... .max, using: &rng))
        default: return .double(Double(Int64.random(in: -(1 << 60)...(1 << 60), using: &rng)))
        }
    }

    mutating func string() -> String {
        let alphabet: [Character] = ["a", "b", "\u{0}", "\u{1}", "é", "z", "\u{7f}", "☃", "𝄞", " "]
        return String((0..<Int.random(in: 0...5, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }

    mutating func value(depth: Int = 0) -> Value {
        let kinds = depth > 2 ? 6 : 9
        switch Int.random(in: 0..<kinds, using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2, 3: return number()
        case 4: return .string(string())
        case 5: return .bytes((0..<Int.random(in: 0...4, using: &rng)).map { _ in [0, 1, 0xfe, 0xff, 7].randomElement(using: &rng)! })
        case 6: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in value(depth: depth + 1) })
        case 7:
            var m = ValueMap()
            for _ in 0..<Int.random(in: 0...3, using: &rng) { m[string()] = value(depth: depth + 1) }
            return .map(m)
        default:
            return .vector((0..<Int.random(in: 0...3, using: &rng)).map { _ in Float(Int.random(in: -2...2, using: &rng)) / 2 })
        }
    }
}
