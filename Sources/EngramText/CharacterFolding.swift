/// Case and diacritic folding of single Unicode scalars, from the Unicode data that
/// the Swift standard library carries (no Foundation).
///
/// - Case: a scalar becomes its full lowercase mapping (`A` → `a`, `Σ` → `σ`), and the
///   final sigma `ς` becomes `σ`, so that both forms of a Greek word match.
/// - Diacritics (optional): a letter whose Unicode name is "<base> WITH <marks>" becomes
///   its base letter (`é`, `ø`, `ł`, `ǘ`, `ά`, `ѐ` → `e`, `o`, `l`, `u`, `α`, `е`), for the
///   Latin, Greek and Cyrillic blocks; `ß`, `æ`, `œ`, `ĳ` become `ss`, `ae`, `oe`, `ij`;
///   and every combining mark (general category Mn, Mc, Me: accents typed as separate
///   scalars, Arabic harakat, Hebrew points) is dropped. Letters that are distinct
///   letters of their alphabet and are not named "WITH" (`й`, `ё`, `ı`) are kept.
///
/// Scalars of the Basic Multilingual Plane are looked up in tables built once, on first
/// use; others are folded directly.
struct CharacterFolding: Sendable {
    /// Whether diacritics are removed.
    let foldDiacritics: Bool

    /// Appends the folded form of `scalar` (zero, one or a few scalars) to `out` as UTF-8,
    /// and returns how many scalars it appended.
    @inline(__always)
    func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) -> Int {
        let v = scalar.value
        if v < 0x80 {
            out.append(v >= 0x41 && v <= 0x5A ? UInt8(v + 32) : UInt8(v))
            return 1
        }
        let tables = FoldingTables.shared
        if v < 0x10000 {
            let mapped = (foldDiacritics ? tables.folded : tables.lowered)[Int(v)]
            if mapped == FoldingTables.drop { return 0 }
            if mapped != FoldingTables.special, let s = Unicode.Scalar(mapped) {
                appendUTF8(s, to: &out)
                return 1
            }
        }
        let expansion = FoldingTables.fold(scalar, diacritics: foldDiacritics)
        for s in expansion { appendUTF8(s, to: &out) }
        return expansion.count
    }

    @inline(__always)
    private func appendUTF8(_ s: Unicode.Scalar, to out: inout [UInt8]) {
        let v = s.value
        if v < 0x80 {
            out.append(UInt8(v))
        } else if v < 0x800 {
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}

/// The folding tables of the Basic Multilingual Plane: for each scalar its folded
/// scalar, ``drop`` (folds to nothing) or ``special`` (folds to several scalars, see
/// ``fold(_:diacritics:)``).
final class FoldingTables: Sendable {
    static let drop: UInt32 = 0xFFFF_FFFE
    static let special: UInt32 = 0xFFFF_FFFF

    /// Lowercase only.
    let lowered: [UInt32]
    /// Lowercase, then diacritics removed.
    let folded: [UInt32]

    static let shared = FoldingTables()

    /// Blocks whose "X WITH Y" letters fold to X: Latin-1, Latin Extended-A/B, IPA,
    /// Greek, Cyrillic, Latin Extended Additional, Greek Extended, Latin Extended-C/D/E.
    private static let diacriticBlocks: [ClosedRange<UInt32>] = [
        0x00C0...0x024F, 0x0250...0x02AF, 0x0370...0x03FF, 0x0400...0x052F, 0x1E00...0x1EFF, 0x1F00...0x1FFF,
        0x2C60...0x2C7F, 0xA720...0xA7FF, 0xAB30...0xAB6F,
    ]

    /// Base letters of the diacritic blocks, by Unicode name.
    private static let baseByName: [String: Unicode.Scalar] = {
        var names: [String: Unicode.Scalar] = [:]
        for range in [0x0041...0x007A] + diacriticBlocks.map({ Int($0.lowerBound)...Int($0.upperBound) }) {
            for v in range {
                if let s = Unicode.Scalar(UInt32(v)), let name = s.properties.name, !name.contains(" WITH ") {
                    names[name] = s
                }
            }
        }
        return names
    }()

    /// Multi-letter folds of single letters (diacritic folding only).
    private static let ligatures: [UInt32: String] = [0xDF: "ss", 0xE6: "ae", 0x153: "oe", 0x133: "ij", 0x1E9E: "ss"]

    private init() {
        var lowered = [UInt32](repeating: 0, count: 0x10000)
        var folded = [UInt32](repeating: 0, count: 0x10000)
        for v in 0..<0x10000 {
            guard let s = Unicode.Scalar(UInt32(v)) else {
                lowered[v] = UInt32(v)  // surrogates never occur in a String
                folded[v] = UInt32(v)
                continue
            }
            lowered[v] = Self.single(Self.fold(s, diacritics: false))
            folded[v] = Self.single(Self.fold(s, diacritics: true))
        }
        self.lowered = lowered
        self.folded = folded
    }

    private static func single(_ scalars: [Unicode.Scalar]) -> UInt32 {
        switch scalars.count {
        case 0: return drop
        case 1: return scalars[0].value
        default: return special
        }
    }

    /// The fold of one scalar, computed from the Unicode properties (the definition the
    /// tables cache).
    static func fold(_ scalar: Unicode.Scalar, diacritics: Bool) -> [Unicode.Scalar] {
        if scalar.value == 0x03C2 { return ["\u{03C3}"] }  // final sigma
        var lower = Array(scalar.properties.lowercaseMapping.unicodeScalars)
        if lower.isEmpty { lower = [scalar] }
        guard diacritics else { return lower }
        var out: [Unicode.Scalar] = []
        for s in lower {
            switch s.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: break
            }
            if let ligature = ligatures[s.value] {
                out.append(contentsOf: ligature.unicodeScalars)
            } else {
                out.append(base(of: s))
            }
        }
        return out
    }

    /// The base letter of a "X WITH Y" letter of the diacritic blocks, else the letter.
    private static func base(of scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard diacriticBlocks.contains(where: { $0.contains(scalar.value) }),
            let name = scalar.properties.name, let with = name.firstRange(of: " WITH ")
        else { return scalar }
        return baseByName[String(name[..<with.lowerBound])] ?? scalar
    }
}
