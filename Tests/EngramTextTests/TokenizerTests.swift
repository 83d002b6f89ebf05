import EngramText
import Testing

@Suite struct TokenizerTests {
    let standard = Tokenizer()

    @Test func latinWordsCaseAndDiacritics() {
        #expect(standard.termStrings("Hello, World! Héllo WORLD") == ["hello", "world", "hello", "world"])
        #expect(standard.termStrings("Crème Brûlée à la façon de Zoë") == ["creme", "brulee", "a", "la", "facon", "de", "zoe"])
        #expect(standard.termStrings("Ærøskøbing Łódź straße ĲSSEL") == ["aeroskobing", "lodz", "strasse", "ijssel"])
        #expect(standard.termStrings("e\u{301}te\u{301}") == ["ete"])  // combining accents
        let keep = Tokenizer(TokenizerOptions(foldDiacritics: false))
        #expect(keep.termStrings("Crème BRÛLÉE") == ["crème", "brûlée"])
    }

    @Test func numbersAreKept() {
        #expect(standard.termStrings("Call 555-1234 at 3.14 or 1,000 units; v2 x86_64") == [
            "call", "555", "1234", "at", "3.14", "or", "1,000", "units", "v2", "x86_64",
        ])
        #expect(standard.termStrings("٣٤ apples") == ["٣٤", "apples"])  // Arabic-Indic digits
    }

    @Test func unicodeWordJoins() {
        #expect(standard.termStrings("don't stop e.g. snake_case key:value ___ end.") == [
            "don't", "stop", "e.g", "snake_case", "key", "value", "end",
        ])
        let simple = Tokenizer(.catalogue)
        #expect(simple.termStrings("don't stop e.g. snake_case key:value") == [
            "don", "t", "stop", "e", "g", "snake", "case", "key", "value",
        ])
    }

    @Test func nonLatinScripts() {
        #expect(standard.termStrings("Привет, МИР! Ёлка") == ["привет", "мир", "ёлка"])  // ё is a letter of its own
        #expect(Tokenizer(TokenizerOptions(foldDiacritics: false)).termStrings("Ёлка") == ["ёлка"])
        #expect(standard.termStrings("東京タワーへ行きました") == ["東", "京", "タワー", "へ", "行", "き", "ま", "し", "た"])
        #expect(standard.termStrings("مَرْحَبًا بالعالم") == ["مرحبا", "بالعالم"])  // harakat dropped
        #expect(standard.termStrings("ΟΔΥΣΣΕΥΣ Ἀθῆναι ς") == ["οδυσσευσ", "αθηναι", "σ"])
        #expect(standard.termStrings("서울 특별시") == ["서울", "특별시"])
    }

    @Test func stopWordsStemmingAndLength() {
        let english = Tokenizer(.english)
        #expect(english.termStrings("The runners were running in the races") == ["runner", "were", "run", "race"])
        let short = Tokenizer(TokenizerOptions(maxTermLength: 5))
        #expect(short.termStrings("internationalization ok") == ["inter", "ok"])
        #expect(Tokenizer(.catalogue).termStrings(String(repeating: "a", count: 40)) == [String(repeating: "a", count: 32)])
        #expect(standard.termStrings("").isEmpty)
        #expect(standard.termStrings("  !?  -- ").isEmpty)
    }

    @Test func englishStemmer() {
        let stem = Tokenizer(TokenizerOptions(stemming: true))
        let cases: [(String, String)] = [
            ("caresses", "caress"), ("ponies", "poni"), ("ties", "tie"), ("cats", "cat"), ("feed", "feed"), ("agreed", "agre"),
            ("plastered", "plaster"), ("motoring", "motor"), ("sing", "sing"), ("conflated", "conflat"), ("troubled", "troubl"),
            ("sized", "size"), ("hopping", "hop"), ("hoping", "hope"), ("falling", "fall"), ("happy", "happi"),
            ("relational", "relat"), ("conditional", "condit"), ("rational", "ration"), ("generously", "generous"),
            ("generalization", "general"), ("communication", "communic"), ("dying", "die"), ("skies", "sky"), ("news", "news"),
            ("succeeding", "succeed"), ("exceedingly", "exceed"), ("cried", "cri"), ("knightly", "knight"), ("bias", "bias"),
            ("consolingly", "consol"), ("abilities", "abil"), ("archaeology", "archaeolog"), ("evening", "evening"),
            ("yelling", "yell"), ("saying", "say"), ("controllable", "control"), ("hopefulness", "hope"),
        ]
        for (word, expected) in cases { #expect(stem.termStrings(word) == [expected], "\(word)") }
    }
}
