import EngramCore

/// String order for `mutable:list` sorted by key: an implementation of JavaScript's
/// `a.localeCompare(b)` as the reference runs it (ICU, root/English locale, tertiary
/// strength, punctuation not ignored).
///
/// It follows the Unicode Collation Algorithm in three levels: strings compare by
/// their base characters first (primary), then by accents (secondary), then by case
/// (tertiary, lower before upper); ties at all three levels are equal (a stable sort
/// then keeps the input order). Primary order, as in the CLDR root collation:
/// whitespace < punctuation and symbols (ASCII in the order
/// `` _ - , ; : ! ? . ' " ( ) [ ] { } @ * / \ & # % ` ^ + < = > | ~ ``) < currency
/// (`$` first) < digits (by value, compared one character at a time) < letters
/// (Latin a…z, then other scripts by code point) < everything else. Control and
/// format characters are ignored.
///
/// Equivalence with ICU is exact for ASCII, for Latin letters with accents (Latin-1,
/// Latin Extended-A/B and Latin Extended Additional, precomposed or decomposed), and
/// for `ß æ œ ĳ ø đ ħ ł ŧ ð þ ı ĸ ŋ`. Elsewhere it approximates the root order
/// (other scripts by code point, non-ASCII symbols by code point within their group).
public enum LocaleCollation {
    /// Three-way comparison: negative, zero or positive.
    public static func compare(_ a: String, _ b: String) -> Int {
        let ka = sortKey(a), kb = sortKey(b)
        if ka == kb { return 0 }
        return ka.lexicographicallyPrecedes(kb) ? -1 : 1
    }

    /// A key whose lexicographic order is the collation order: primary weights, 0,
    /// secondary weights, 0, tertiary weights.
    public static func sortKey(_ s: String) -> [UInt32] {
        var primary: [UInt32] = [], secondary: [UInt32] = [], tertiary: [UInt32] = []
        for scalar in s.unicodeScalars {
            for e in elements(scalar) {
                if e.primary != 0 { primary.append(e.primary) }
                if e.secondary != 0 { secondary.append(e.secondary) }
                tertiary.append(e.tertiary)
            }
        }
        return primary + [0] + secondary + [0] + tertiary
    }

    struct Element {
        var primary: UInt32
        var secondary: UInt32
        var tertiary: UInt32
    }

    private static let baseSecondary: UInt32 = 0x20
    private static let lower: UInt32 = 2, upper: UInt32 = 8, variantLower: UInt32 = 3, variantUpper: UInt32 = 9

    private enum Group: UInt32 { case whitespace = 1, punctuation, currency, digit, letter, other }

    private static func weight(_ group: Group, _ value: UInt32) -> UInt32 { group.rawValue << 24 | value }

    /// A Latin letter `a`…`z` (either case) as one element; `sub` > 0 places a
    /// separate letter right after it (ð after d).
    private static func latin(_ letter: Unicode.Scalar, sub: UInt32 = 0, tertiary: UInt32? = nil) -> Element {
        let isUpper = letter.value < 0x61
        let index = (letter.value | 0x20) - 0x61
        return Element(
            primary: weight(.letter, index << 8 | sub), secondary: baseSecondary, tertiary: tertiary ?? (isUpper ? upper : lower))
    }

    private static func mark(_ value: UInt32) -> Element {
        Element(primary: 0, secondary: markWeights[value] ?? (0x100 + value), tertiary: lower)
    }

    /// Secondary weights of the common accents, in the root order.
    private static let markWeights: [UInt32: UInt32] = {
        let order: [UInt32] = [0x301, 0x300, 0x306, 0x302, 0x30C, 0x30A, 0x308, 0x30B, 0x303, 0x307, 0x335, 0x327, 0x328, 0x304]
        var m: [UInt32: UInt32] = [:]
        for (i, v) in order.enumerated() { m[v] = 0x21 + UInt32(i) }
        return m
    }()

    private static let asciiPunctuation: [UInt32: UInt32] = {
        var m: [UInt32: UInt32] = [:]
        for (i, s) in "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~".unicodeScalars.enumerated() { m[s.value] = UInt32(i) }
        return m
    }()

    private static let whitespaceOrder: [UInt32: UInt32] = {
        var m: [UInt32: UInt32] = [:]
        for (i, v) in ([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029, 0x20] as [UInt32]).enumerated() { m[v] = UInt32(i) }
        return m
    }()

    /// Letters without a canonical decomposition that the root order treats as a base
    /// letter plus an accent, as an expansion, or as a letter of their own.
    private static func special(_ v: UInt32) -> [Element]? {
        func l(_ c: Unicode.Scalar, _ t: UInt32? = nil) -> Element { latin(c, tertiary: t) }
        switch v {
        case 0xC6: return [l("A", variantUpper), l("E", variantUpper)]
        case 0xE6: return [l("a", variantLower), l("e", variantLower)]
        case 0x152: return [l("O", variantUpper), l("E", variantUpper)]
        case 0x153: return [l("o", variantLower), l("e", variantLower)]
        case 0x132: return [l("I", variantUpper), l("J", variantUpper)]
        case 0x133: return [l("i", variantLower), l("j", variantLower)]
        case 0xDF: return [l("s", variantLower), l("s", variantLower)]
        case 0x1E9E: return [l("S", variantUpper), l("S", variantUpper)]
        case 0x17F: return [l("s", variantLower)]
        case 0xD8, 0xF8: return [l(v == 0xD8 ? "O" : "o"), mark(0x335)]
        case 0x110, 0x111: return [l(v == 0x110 ? "D" : "d"), mark(0x335)]
        case 0x126, 0x127: return [l(v == 0x126 ? "H" : "h"), mark(0x335)]
        case 0x141, 0x142: return [l(v == 0x141 ? "L" : "l"), mark(0x335)]
        case 0x166, 0x167: return [l(v == 0x166 ? "T" : "t"), mark(0x335)]
        case 0xD0, 0xF0: return [latin(v == 0xD0 ? "D" : "d", sub: 1)]
        case 0xDE, 0xFE: return [latin(v == 0xDE ? "Z" : "z", sub: 1)]
        case 0x131: return [latin("i", sub: 1)]
        case 0x138: return [latin("q", sub: 1)]
        case 0x14A, 0x14B: return [latin(v == 0x14A ? "N" : "n", sub: 1)]
        default: return nil
        }
    }

    /// The collation elements of one scalar.
    static func elements(_ scalar: Unicode.Scalar) -> [Element] {
        let v = scalar.value
        if (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) { return [latin(scalar)] }
        if let d = decompositions[v] { return [latin(d.base)] + d.marks.map(mark) }
        if let s = special(v) { return s }
        let p = scalar.properties
        if let w = whitespaceOrder[v] { return [Element(primary: weight(.whitespace, w), secondary: baseSecondary, tertiary: lower)] }
        func element(_ group: Group, _ value: UInt32) -> [Element] {
            let t = p.isUppercase || p.generalCategory == .titlecaseLetter ? upper : lower
            return [Element(primary: weight(group, value), secondary: baseSecondary, tertiary: t)]
        }
        switch p.generalCategory {
        case .control, .format: return []
        case .nonspacingMark, .spacingMark, .enclosingMark: return [mark(v)]
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return element(.whitespace, 0x100 + v)
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation, .mathSymbol, .modifierSymbol, .otherSymbol:
            return element(.punctuation, asciiPunctuation[v] ?? (0x100 + v))
        case .currencySymbol: return element(.currency, v == 0x24 ? 0 : 0x100 + v)
        case .decimalNumber:
            if let n = p.numericValue { return element(.digit, UInt32(n)) }
            return element(.digit, 0x100 + v)
        case .letterNumber, .otherNumber: return element(.digit, 0x100 + v)
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            let folded = p.lowercaseMapping.unicodeScalars.first?.value ?? v
            return element(.letter, 0x20_0000 + folded)
        default: return element(.other, v)
        }
    }

    /// Canonical decompositions of precomposed Latin letters into an ASCII letter and
    /// combining accents (from the Unicode data: Latin-1 Supplement, Latin
    /// Extended-A/B, Latin Extended Additional). Each entry: code point (4 hex
    /// digits), base letter, then each accent (4 hex digits).
    private static let decompositions: [UInt32: (base: Unicode.Scalar, marks: [UInt32])] = {
        var table: [UInt32: (base: Unicode.Scalar, marks: [UInt32])] = [:]
        for entry in decompositionData.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let scalars = Array(entry.unicodeScalars)
            guard scalars.count >= 9, let cp = UInt32(String(String.UnicodeScalarView(scalars[0..<4])), radix: 16) else { continue }
            var marks: [UInt32] = []
            var i = 5
            while i + 4 <= scalars.count {
                if let m = UInt32(String(String.UnicodeScalarView(scalars[i..<(i + 4)])), radix: 16) { marks.append(m) }
                i += 4
            }
            table[cp] = (scalars[4], marks)
        }
        return table
    }()

    private static let decompositionData = """
00C0A0300 00C1A0301 00C2A0302 00C3A0303 00C4A0308 00C5A030A 00C7C0327 00C8E0300 00C9E0301 00CAE0302
00CBE0308 00CCI0300 00CDI0301 00CEI0302 00CFI0308 00D1N0303 00D2O0300 00D3O0301 00D4O0302 00D5O0303
00D6O0308 00D9U0300 00DAU0301 00DBU0302 00DCU0308 00DDY0301 00E0a0300 00E1a0301 00E2a0302 00E3a0303
00E4a0308 00E5a030A 00E7c0327 00E8e0300 00E9e0301 00EAe0302 00EBe0308 00ECi0300 00EDi0301 00EEi0302
00EFi0308 00F1n0303 00F2o0300 00F3o0301 00F4o0302 00F5o0303 00F6o0308 00F9u0300 00FAu0301 00FBu0302
00FCu0308 00FDy0301 00FFy0308 0100A0304 0101a0304 0102A0306 0103a0306 0104A0328 0105a0328 0106C0301
0107c0301 0108C0302 0109c0302 010AC0307 010Bc0307 010CC030C 010Dc030C 010ED030C 010Fd030C 0112E0304
0113e0304 0114E0306 0115e0306 0116E0307 0117e0307 0118E0328 0119e0328 011AE030C 011Be030C 011CG0302
011Dg0302 011EG0306 011Fg0306 0120G0307 0121g0307 0122G0327 0123g0327 0124H0302 0125h0302 0128I0303
0129i0303 012AI0304 012Bi0304 012CI0306 012Di0306 012EI0328 012Fi0328 0130I0307 0134J0302 0135j0302
0136K0327 0137k0327 0139L0301 013Al0301 013BL0327 013Cl0327 013DL030C 013El030C 0143N0301 0144n0301
0145N0327 0146n0327 0147N030C 0148n030C 014CO0304 014Do0304 014EO0306 014Fo0306 0150O030B 0151o030B
0154R0301 0155r0301 0156R0327 0157r0327 0158R030C 0159r030C 015AS0301 015Bs0301 015CS0302 015Ds0302
015ES0327 015Fs0327 0160S030C 0161s030C 0162T0327 0163t0327 0164T030C 0165t030C 0168U0303 0169u0303
016AU0304 016Bu0304 016CU0306 016Du0306 016EU030A 016Fu030A 0170U030B 0171u030B 0172U0328 0173u0328
0174W0302 0175w0302 0176Y0302 0177y0302 0178Y0308 0179Z0301 017Az0301 017BZ0307 017Cz0307 017DZ030C
017Ez030C 01A0O031B 01A1o031B 01AFU031B 01B0u031B 01CDA030C 01CEa030C 01CFI030C 01D0i030C 01D1O030C
01D2o030C 01D3U030C 01D4u030C 01D5U03080304 01D6u03080304 01D7U03080301 01D8u03080301 01D9U0308030C
01DAu0308030C 01DBU03080300 01DCu03080300 01DEA03080304 01DFa03080304 01E0A03070304 01E1a03070304 01E6G030C
01E7g030C 01E8K030C 01E9k030C 01EAO0328 01EBo0328 01ECO03280304 01EDo03280304 01F0j030C 01F4G0301 01F5g0301
01F8N0300 01F9n0300 01FAA030A0301 01FBa030A0301 0200A030F 0201a030F 0202A0311 0203a0311 0204E030F 0205e030F
0206E0311 0207e0311 0208I030F 0209i030F 020AI0311 020Bi0311 020CO030F 020Do030F 020EO0311 020Fo0311
0210R030F 0211r030F 0212R0311 0213r0311 0214U030F 0215u030F 0216U0311 0217u0311 0218S0326 0219s0326
021AT0326 021Bt0326 021EH030C 021Fh030C 0226A0307 0227a0307 0228E0327 0229e0327 022AO03080304 022Bo03080304
022CO03030304 022Do03030304 022EO0307 022Fo0307 0230O03070304 0231o03070304 0232Y0304 0233y0304 1E00A0325
1E01a0325 1E02B0307 1E03b0307 1E04B0323 1E05b0323 1E06B0331 1E07b0331 1E08C03270301 1E09c03270301 1E0AD0307
1E0Bd0307 1E0CD0323 1E0Dd0323 1E0ED0331 1E0Fd0331 1E10D0327 1E11d0327 1E12D032D 1E13d032D 1E14E03040300
1E15e03040300 1E16E03040301 1E17e03040301 1E18E032D 1E19e032D 1E1AE0330 1E1Be0330 1E1CE03270306
1E1De03270306 1E1EF0307 1E1Ff0307 1E20G0304 1E21g0304 1E22H0307 1E23h0307 1E24H0323 1E25h0323 1E26H0308
1E27h0308 1E28H0327 1E29h0327 1E2AH032E 1E2Bh032E 1E2CI0330 1E2Di0330 1E2EI03080301 1E2Fi03080301 1E30K0301
1E31k0301 1E32K0323 1E33k0323 1E34K0331 1E35k0331 1E36L0323 1E37l0323 1E38L03230304 1E39l03230304 1E3AL0331
1E3Bl0331 1E3CL032D 1E3Dl032D 1E3EM0301 1E3Fm0301 1E40M0307 1E41m0307 1E42M0323 1E43m0323 1E44N0307
1E45n0307 1E46N0323 1E47n0323 1E48N0331 1E49n0331 1E4AN032D 1E4Bn032D 1E4CO03030301 1E4Do03030301
1E4EO03030308 1E4Fo03030308 1E50O03040300 1E51o03040300 1E52O03040301 1E53o03040301 1E54P0301 1E55p0301
1E56P0307 1E57p0307 1E58R0307 1E59r0307 1E5AR0323 1E5Br0323 1E5CR03230304 1E5Dr03230304 1E5ER0331 1E5Fr0331
1E60S0307 1E61s0307 1E62S0323 1E63s0323 1E64S03010307 1E65s03010307 1E66S030C0307 1E67s030C0307
1E68S03230307 1E69s03230307 1E6AT0307 1E6Bt0307 1E6CT0323 1E6Dt0323 1E6ET0331 1E6Ft0331 1E70T032D 1E71t032D
1E72U0324 1E73u0324 1E74U0330 1E75u0330 1E76U032D 1E77u032D 1E78U03030301 1E79u03030301 1E7AU03040308
1E7Bu03040308 1E7CV0303 1E7Dv0303 1E7EV0323 1E7Fv0323 1E80W0300 1E81w0300 1E82W0301 1E83w0301 1E84W0308
1E85w0308 1E86W0307 1E87w0307 1E88W0323 1E89w0323 1E8AX0307 1E8Bx0307 1E8CX0308 1E8Dx0308 1E8EY0307
1E8Fy0307 1E90Z0302 1E91z0302 1E92Z0323 1E93z0323 1E94Z0331 1E95z0331 1E96h0331 1E97t0308 1E98w030A
1E99y030A 1EA0A0323 1EA1a0323 1EA2A0309 1EA3a0309 1EA4A03020301 1EA5a03020301 1EA6A03020300 1EA7a03020300
1EA8A03020309 1EA9a03020309 1EAAA03020303 1EABa03020303 1EACA03230302 1EADa03230302 1EAEA03060301
1EAFa03060301 1EB0A03060300 1EB1a03060300 1EB2A03060309 1EB3a03060309 1EB4A03060303 1EB5a03060303
1EB6A03230306 1EB7a03230306 1EB8E0323 1EB9e0323 1EBAE0309 1EBBe0309 1EBCE0303 1EBDe0303 1EBEE03020301
1EBFe03020301 1EC0E03020300 1EC1e03020300 1EC2E03020309 1EC3e03020309 1EC4E03020303 1EC5e03020303
1EC6E03230302 1EC7e03230302 1EC8I0309 1EC9i0309 1ECAI0323 1ECBi0323 1ECCO0323 1ECDo0323 1ECEO0309 1ECFo0309
1ED0O03020301 1ED1o03020301 1ED2O03020300 1ED3o03020300 1ED4O03020309 1ED5o03020309 1ED6O03020303
1ED7o03020303 1ED8O03230302 1ED9o03230302 1EDAO031B0301 1EDBo031B0301 1EDCO031B0300 1EDDo031B0300
1EDEO031B0309 1EDFo031B0309 1EE0O031B0303 1EE1o031B0303 1EE2O031B0323 1EE3o031B0323 1EE4U0323 1EE5u0323
1EE6U0309 1EE7u0309 1EE8U031B0301 1EE9u031B0301 1EEAU031B0300 1EEBu031B0300 1EECU031B0309 1EEDu031B0309
1EEEU031B0303 1EEFu031B0303 1EF0U031B0323 1EF1u031B0323 1EF2Y0300 1EF3y0300 1EF4Y0323 1EF5y0323 1EF6Y0309
1EF7y0309 1EF8Y0303 1EF9y0303
"""
}
