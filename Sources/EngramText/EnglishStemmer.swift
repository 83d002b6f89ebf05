/// The English stemmer of the Snowball project ("Porter 2", as revised in Snowball 3),
/// written from its published algorithm.
///
/// Applies to words made only of ASCII letters `a`–`z` and the apostrophe; any other
/// word (digits, other scripts, accents left by an index without diacritic folding) is
/// returned unchanged, as are words shorter than three letters. Guarantees the output
/// of the reference implementation (the `snowballstemmer` package, checked over a
/// large vocabulary by `tools/bench/text_bench.py`).
///
/// The steps, on the word's regions R1 and R2 (the part after the first consonant that
/// follows a vowel, and the same again inside R1; R1 starts after `gener`, `commun`,
/// `arsen`, `emerg`, `inter`, `later`, `organ`, `past`, `univers` when a word begins so):
/// 1a plurals and possessives, 1b `-ed`/`-ing`/`-edly`/`-ingly`, 1c final `y` → `i`,
/// 2 and 3 derivational suffixes mapped to shorter ones in R1, 4 suffixes deleted in
/// R2, 5 final `e` and double `l`. A few irregular words are listed as exceptions.
enum EnglishStemmer {
    /// The stem of `word` (lowercase UTF-8).
    static func stem(_ word: [UInt8]) -> [UInt8] {
        guard word.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x27 }) else { return word }
        if let exception = exceptions[word] { return exception }
        if word.count < 3 { return word }
        var s = Stemming(word)
        s.run()
        return s.w
    }

    /// Words with their own stems (Snowball's `exception1`).
    private static let exceptions: [[UInt8]: [UInt8]] = {
        let pairs = [
            ("skis", "ski"), ("skies", "sky"), ("idly", "idl"), ("gently", "gentl"), ("ugly", "ugli"), ("early", "earli"),
            ("only", "onli"), ("singly", "singl"), ("sky", "sky"), ("news", "news"), ("howe", "howe"), ("atlas", "atlas"),
            ("cosmos", "cosmos"), ("bias", "bias"), ("andes", "andes"),
        ]
        var d: [[UInt8]: [UInt8]] = [:]
        for (k, v) in pairs { d[Array(k.utf8)] = Array(v.utf8) }
        return d
    }()
}

/// The state of one stemming: the word (with `Y` marking consonant `y`) and its regions.
private struct Stemming {
    var w: [UInt8]
    var p1 = 0
    var p2 = 0
    var foundY = false

    static let a = UInt8(ascii: "a"), e = UInt8(ascii: "e"), i = UInt8(ascii: "i"), o = UInt8(ascii: "o")
    static let u = UInt8(ascii: "u"), y = UInt8(ascii: "y"), Y = UInt8(ascii: "Y"), l = UInt8(ascii: "l")
    static let s = UInt8(ascii: "s"), t = UInt8(ascii: "t"), apostrophe = UInt8(ascii: "'")

    init(_ word: [UInt8]) { w = word }

    static func isVowel(_ c: UInt8) -> Bool { c == a || c == e || c == i || c == o || c == u || c == y }

    func ends(_ suffix: [UInt8]) -> Bool {
        w.count >= suffix.count && w[(w.count - suffix.count)...].elementsEqual(suffix)
    }

    /// The longest of `suffixes` the word ends with.
    func longest(_ suffixes: [[UInt8]]) -> [UInt8]? {
        var best: [UInt8]?
        for x in suffixes where ends(x) && x.count > (best?.count ?? -1) { best = x }
        return best
    }

    mutating func replaceSuffix(_ count: Int, with r: String) {
        w.removeLast(count)
        w.append(contentsOf: r.utf8)
    }

    /// A short syllable ends at `end`: consonant (not w, x, Y) preceded by a vowel
    /// preceded by a consonant, or consonant + vowel at the word's start, or `past`.
    func shortSyllable(endingAt end: Int) -> Bool {
        if end >= 3, !Self.isVowel(w[end - 1]), ![UInt8(ascii: "w"), UInt8(ascii: "x"), Self.Y].contains(w[end - 1]),
            Self.isVowel(w[end - 2]), !Self.isVowel(w[end - 3])
        {
            return true
        }
        if end == 2, !Self.isVowel(w[1]), Self.isVowel(w[0]) { return true }
        return end >= 4 && w[(end - 4)..<end].elementsEqual("past".utf8)
    }

    mutating func run() {
        prelude()
        markRegions()
        step1a()
        step1b()
        step1c()
        step2()
        step3()
        step4()
        step5()
        if foundY { w = w.map { $0 == Self.Y ? Self.y : $0 } }
    }

    mutating func prelude() {
        if w.first == Self.apostrophe { w.removeFirst() }
        if w.first == Self.y { w[0] = Self.Y; foundY = true }
        var k = 0
        while k + 1 < w.count {
            if Self.isVowel(w[k]), w[k + 1] == Self.y { w[k + 1] = Self.Y; foundY = true }
            k += 1
        }
    }

    /// R1 and R2 (positions where they start; `w.count` when empty).
    mutating func markRegions() {
        p1 = w.count
        p2 = w.count
        let prefixes = ["gener", "commun", "arsen", "emerg", "inter", "later", "organ", "past", "univers"]
        var start: Int?
        for p in prefixes where w.starts(with: p.utf8) { start = max(start ?? 0, p.utf8.count) }
        guard let r1 = start ?? afterVowelConsonant(from: 0) else { return }
        p1 = r1
        p2 = afterVowelConsonant(from: r1) ?? w.count
    }

    /// The position after the first non-vowel that follows a vowel, searching from `from`.
    func afterVowelConsonant(from: Int) -> Int? {
        var k = from
        while k < w.count, !Self.isVowel(w[k]) { k += 1 }
        guard k < w.count else { return nil }
        while k < w.count, Self.isVowel(w[k]) { k += 1 }
        guard k < w.count else { return nil }
        return k + 1
    }

    mutating func step1a() {
        if let x = longest([Array("'s'".utf8), Array("'s".utf8), Array("'".utf8)]) { w.removeLast(x.count) }
        guard let x = longest(["sses", "ied", "ies", "ss", "us", "s"].map { Array($0.utf8) }) else { return }
        switch String(decoding: x, as: UTF8.self) {
        case "sses": replaceSuffix(4, with: "ss")
        case "ied", "ies": replaceSuffix(3, with: w.count - 3 >= 2 ? "i" : "ie")
        case "s":
            // Delete if a vowel occurs before the letter preceding the `s`.
            let stemEnd = w.count - 1
            if stemEnd >= 2, w[0..<(stemEnd - 1)].contains(where: Self.isVowel) { w.removeLast() }
        default: break  // ss, us
        }
    }

    mutating func step1b() {
        let suffixes = ["eedly", "ingly", "edly", "eed", "ing", "ed"].map { Array($0.utf8) }
        guard let x = longest(suffixes) else { return }
        let start = w.count - x.count
        let name = String(decoding: x, as: UTF8.self)
        if name == "eed" || name == "eedly" {
            guard start >= p1 else { return }
            let stem = w[0..<start]
            if ["succ", "proc", "exc"].contains(where: { stem.elementsEqual($0.utf8) }) { return }
            replaceSuffix(x.count, with: "ee")
            return
        }
        if name == "ing" {
            let stem = w[0..<start]
            if ["even", "cann", "inn", "earr", "herr", "out"].contains(where: { stem.elementsEqual($0.utf8) }) { return }
            if start == 2, w[1] == Self.y, !Self.isVowel(w[0]) {  // dying, lying, tying
                w.removeLast(4)
                w.append(contentsOf: "ie".utf8)
                return
            }
        }
        guard w[0..<start].contains(where: Self.isVowel) else { return }
        w.removeLast(x.count)
        if ["at", "bl", "iz"].contains(where: { ends(Array($0.utf8)) }) {
            w.append(Self.e)
            return
        }
        let doubles = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]
        if doubles.contains(where: { ends(Array($0.utf8)) }) {
            if w.count == 3, [Self.a, Self.e, Self.o].contains(w[0]) { return }
            w.removeLast()
            return
        }
        if w.count == p1, shortSyllable(endingAt: w.count) { w.append(Self.e) }
    }

    mutating func step1c() {
        guard w.count >= 3, let last = w.last, last == Self.y || last == Self.Y, !Self.isVowel(w[w.count - 2]) else { return }
        w[w.count - 1] = Self.i
    }

    mutating func step2() {
        let rules: [(String, String)] = [
            ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("entli", "ent"),
            ("izer", "ize"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("aliti", "al"),
            ("alli", "al"), ("fulness", "ful"), ("fulli", "ful"), ("ousli", "ous"), ("ousness", "ous"), ("iveness", "ive"),
            ("iviti", "ive"), ("biliti", "ble"), ("bli", "ble"), ("ogist", "og"), ("ogi", "og"), ("lessli", "less"), ("li", ""),
        ]
        guard let x = longest(rules.map { Array($0.0.utf8) }) else { return }
        let start = w.count - x.count
        guard start >= p1 else { return }
        let name = String(decoding: x, as: UTF8.self)
        switch name {
        case "ogi": if start >= 1, w[start - 1] == Self.l { replaceSuffix(3, with: "og") }
        case "li":
            let validLI = "cdeghkmnrt".utf8
            if start >= 1, validLI.contains(w[start - 1]) { w.removeLast(2) }
        default:
            if let r = rules.first(where: { $0.0 == name }) { replaceSuffix(x.count, with: r.1) }
        }
    }

    mutating func step3() {
        let rules: [(String, String)] = [
            ("ational", "ate"), ("tional", "tion"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"), ("ical", "ic"),
            ("ful", ""), ("ness", ""), ("ative", ""),
        ]
        guard let x = longest(rules.map { Array($0.0.utf8) }) else { return }
        let start = w.count - x.count
        guard start >= p1 else { return }
        let name = String(decoding: x, as: UTF8.self)
        if name == "ative" {
            if start >= p2 { w.removeLast(5) }
            return
        }
        if let r = rules.first(where: { $0.0 == name }) { replaceSuffix(x.count, with: r.1) }
    }

    mutating func step4() {
        let suffixes = [
            "ic", "ance", "ence", "able", "ible", "ate", "ive", "ize", "iti", "al", "ism", "ion", "er", "ous", "ant", "ent",
            "ment", "ement",
        ]
        guard let x = longest(suffixes.map { Array($0.utf8) }) else { return }
        let start = w.count - x.count
        guard start >= p2 else { return }
        if x.elementsEqual("ion".utf8) {
            if start >= 1, w[start - 1] == Self.s || w[start - 1] == Self.t { w.removeLast(3) }
            return
        }
        w.removeLast(x.count)
    }

    mutating func step5() {
        guard let last = w.last else { return }
        let start = w.count - 1
        if last == Self.e {
            if start >= p2 || (start >= p1 && !shortSyllable(endingAt: start)) { w.removeLast() }
        } else if last == Self.l {
            if start >= p2, start >= 1, w[start - 1] == Self.l { w.removeLast() }
        }
    }
}
