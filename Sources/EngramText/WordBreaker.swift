/// How text is cut into words: a subset of the Unicode word-boundary rules (UAX #29),
/// computed from the Unicode properties the Swift standard library carries.
///
/// Every scalar has a class (``WordClass``). Words are runs of letters, digits and
/// Katakana, with these joins and exceptions:
/// - combining marks and format characters (Mn, Mc, Me, Cf) stay with the scalar before
///   them (`e` + U+0301 is one letter); at the start of a word they are skipped;
/// - ideographs (Han), Hiragana and other scripts written without spaces between words
///   at the syllable level are one word per scalar (`東京` → `東`, `京`): there is no
///   dictionary segmentation;
/// - Katakana runs are one word; Katakana and letters do not join;
/// - with ``WordSplitting/unicodeWords`` only: a letter, then `'` `’` `.` `·`, then a
///   letter stay one word (`don't`, `e.g`); a digit, then `.` `,` `;` `'`, then a digit
///   stay one word (`3.14`, `1,000`); connector punctuation such as `_` joins letters,
///   digits and Katakana (`snake_case`). The colon is not a joiner (UAX #29 lets
///   Swedish-style tailorings make it one; here `key:value` is two words).
/// - with ``WordSplitting/alphanumeric``: every scalar that is not a letter, digit,
///   Katakana or mark ends a word, so `don't` is `don` and `t` (as in Tantivy's simple
///   tokenizer, used by the reference search engine).
enum WordBreaker {
    /// The class of a scalar for word breaking.
    enum WordClass: UInt8 {
        case other = 0, letter, digit, katakana, single, extend, midLetter, midNum, midNumLet, connector
    }

    /// Classes of the Basic Multilingual Plane, built on first use.
    private static let table: [WordClass] = (0..<0x10000).map { v in
        Unicode.Scalar(UInt32(v)).map(computeClass) ?? .other
    }

    /// The class of `scalar`.
    @inline(__always)
    static func wordClass(_ scalar: Unicode.Scalar) -> WordClass {
        let v = scalar.value
        return v < 0x10000 ? table[Int(v)] : computeClass(scalar)
    }

    static func computeClass(_ s: Unicode.Scalar) -> WordClass {
        let v = s.value
        switch v {
        case 0x27, 0x2E, 0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E: return .midNumLet
        case 0xB7, 0x387, 0x55F, 0x5F4, 0x2027, 0xFE13, 0xFE55: return .midLetter
        case 0x2C, 0x3B, 0x37E, 0x589, 0x60C, 0x60D, 0x66C, 0x7F8, 0x2044, 0xFE10, 0xFE14, 0xFE50, 0xFE54, 0xFF0C, 0xFF1B:
            return .midNum
        case 0x30A0...0x30FA, 0x30FC...0x30FF, 0x31F0...0x31FF, 0x32D0...0x32FE, 0x3300...0x3357, 0xFF66...0xFF9D:
            return .katakana
        case 0x3040...0x309F, 0x1B000...0x1B16F: return .single  // Hiragana
        default: break
        }
        let p = s.properties
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format: return .extend
        case .connectorPunctuation: return .connector
        case .decimalNumber: return .digit
        default: break
        }
        if p.isIdeographic { return .single }
        if p.isAlphabetic || p.numericType != nil { return .letter }
        return .other
    }

    /// Calls `body` with the scalars of each word of `text`, in order. Runs of connector
    /// punctuation alone (`___`) are not words.
    static func forEachWord(
        in text: String, splitting: WordSplitting, _ body: (ArraySlice<Unicode.Scalar>) -> Void
    ) {
        let scalars = Array(text.unicodeScalars)
        let classes = scalars.map(wordClass)
        let unicode = splitting == .unicodeWords
        var i = 0
        let n = scalars.count
        while i < n {
            let c = classes[i]
            if c == .single {
                var end = i + 1
                while end < n, classes[end] == .extend { end += 1 }
                body(scalars[i..<end])
                i = end
                continue
            }
            guard isWordStart(c, joins: unicode) else { i += 1; continue }
            let start = i
            var last = c  // class of the last non-extend scalar in the word
            var hasCore = c != .connector  // a letter, digit or Katakana seen (not only `_`)
            var j = i + 1
            while j < n {
                let d = classes[j]
                if d == .extend { j += 1; continue }
                if joins(last, d, joins: unicode) {
                    last = d
                    hasCore = hasCore || d != .connector
                    j += 1
                    continue
                }
                // A mid-word joiner between two compatible scalars (WB6/7, WB11/12).
                if unicode, d == .midLetter || d == .midNum || d == .midNumLet {
                    var k = j + 1
                    while k < n, classes[k] == .extend { k += 1 }
                    if k < n, bridges(last, d, classes[k]) {
                        last = classes[k]
                        hasCore = true
                        j = k + 1
                        continue
                    }
                }
                break
            }
            if hasCore { body(scalars[start..<j]) }
            i = j
        }
    }

    private static func isWordStart(_ c: WordClass, joins: Bool) -> Bool {
        c == .letter || c == .digit || c == .katakana || (joins && c == .connector)
    }

    /// Whether `next` continues a word whose last scalar is of class `last`.
    private static func joins(_ last: WordClass, _ next: WordClass, joins: Bool) -> Bool {
        switch (last, next) {
        case (.letter, .letter), (.letter, .digit), (.digit, .letter), (.digit, .digit), (.katakana, .katakana): return true
        case (.connector, .letter), (.connector, .digit), (.connector, .katakana), (.connector, .connector),
            (.letter, .connector), (.digit, .connector), (.katakana, .connector):
            return joins
        default: return false
        }
    }

    /// Whether `mid` between `before` and `after` keeps one word.
    private static func bridges(_ before: WordClass, _ mid: WordClass, _ after: WordClass) -> Bool {
        switch mid {
        case .midLetter: return before == .letter && after == .letter
        case .midNum: return before == .digit && after == .digit
        case .midNumLet: return (before == .letter && after == .letter) || (before == .digit && after == .digit)
        default: return false
        }
    }
}

/// Which scalars end a word; see ``WordBreaker``.
public enum WordSplitting: String, Sendable, Hashable {
    /// Unicode word boundaries: `don't`, `3.14`, `e.g`, `snake_case` are one word each.
    case unicodeWords
    /// Letters, digits and marks only: every other scalar ends a word (`don't` → `don`, `t`).
    case alphanumeric
}
