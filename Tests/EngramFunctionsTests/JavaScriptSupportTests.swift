import EngramCore
@testable import EngramFunctions
import Testing

/// The JavaScript semantics the modules rely on: UTF-16 text, number text, dates,
/// arithmetic, collation and ordered JSON.
@Suite struct JavaScriptSupportTests {
    @Test func textPositionsAreUTF16CodeUnits() {
        #expect(JavaScript.length("a😀b") == 4)
        #expect(JavaScript.indexOf("a😀b", "b") == 3)
        #expect(JavaScript.indexOf("abc", "") == 0)
        #expect(JavaScript.indexOf("abc", "d") == nil)
        #expect(JavaScript.indexOf("e\u{301}", "e") == 0)
        #expect(JavaScript.substring("a😀b", from: 1, to: 4) == "😀b")
        #expect(JavaScript.substring("abc", from: -5, to: 99) == "abc")
        #expect(JavaScript.startsWith("item-1", "item-"))
        #expect(!JavaScript.startsWith("e\u{301}x", "é"))
        #expect(JavaScript.containsIgnoringCase("Hello World", "WORLD"))
        #expect(JavaScript.words("  a\tb\u{3000}c  ") == ["a", "b", "c"])
        #expect(JavaScript.words(" \n ").isEmpty)
    }

    @Test func numbersAndDatesPrintAsJavaScriptDoes() {
        #expect(JavaScript.numberText(10) == "10")
        #expect(JavaScript.numberText(10.5) == "10.5")
        #expect(JavaScript.numberText(.nan) == "NaN")
        #expect(JavaScript.numberText(-.infinity) == "-Infinity")
        #expect(JavaScript.numberText(1e21) == "1e+21")
        #expect(JavaScript.isoString(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(JavaScript.isoString(milliseconds: 1_700_000_000_000) == "2023-11-14T22:13:20.000Z")
        #expect(JavaScript.isoString(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(JavaScript.isoString(milliseconds: 951_782_400_000.9) == "2000-02-29T00:00:00.000Z")
        #expect(JavaScript.isoString(milliseconds: 253_402_300_800_000) == "+010000-01-01T00:00:00.000Z")
        #expect(JavaScript.isoString(milliseconds: -62_167_219_200_000) == "0000-01-01T00:00:00.000Z")
        #expect(JavaScript.isoString(milliseconds: -62_198_755_200_000) == "-000001-01-01T00:00:00.000Z")
        #expect(JavaScript.isoString(milliseconds: .nan) == nil)
        #expect(JavaScript.isoString(milliseconds: 9e15) == nil)
    }

    @Test func stringsBecomeNumbersAsInJavaScript() {
        let cases: [(String, Double)] = [
            ("", 0), ("  12  ", 12), ("\n-3.5e2\t", -350), (".5", 0.5), ("5.", 5), ("0x1A", 26), ("0b101", 5), ("0o17", 15),
            ("Infinity", .infinity), ("-Infinity", -.infinity), ("+7", 7),
        ]
        for (text, expected) in cases { #expect(JavaScript.number(parsing: text) == expected, "\(text)") }
        for text in ["abc", "1,2", "0x", "-0x1", "1e", "e5", ".", "nan", "inf", "1_000", "0x1G"] {
            #expect(JavaScript.number(parsing: text).isNaN, "\(text)")
        }
        #expect(JavaScript.add(.null, 1) == 1)
        #expect(JavaScript.add([nil, 1], "x") == ",1x")
        #expect(JavaScript.subtract("", 1) == -1)
        #expect(JavaScript.subtract([5], 1) == 4)
    }

    @Test func collationMatchesTheReferenceExampleOrder() {
        let expected = ["_x", "-y", "a", "A", "b", "B", "é", "item-10", "item-2", "z", "Z"]
        for shuffled in [expected.reversed(), expected.shuffled(), expected.sorted()] {
            let sorted = shuffled.sorted { LocaleCollation.compare($0, $1) < 0 }
            #expect(sorted == expected)
        }
        // Accents are secondary, case tertiary, decomposed equals precomposed.
        #expect(LocaleCollation.compare("e", "é") < 0)
        #expect(LocaleCollation.compare("é", "f") < 0)
        #expect(LocaleCollation.compare("é", "E") > 0)
        #expect(LocaleCollation.compare("e\u{301}", "é") == 0)
        #expect(LocaleCollation.compare("ss", "ß") < 0 && LocaleCollation.compare("ß", "st") < 0)
        #expect(LocaleCollation.compare("ab", "a b") > 0)
        #expect(LocaleCollation.compare("a1", "ab") < 0)
        #expect(LocaleCollation.compare("$", "0") < 0 && LocaleCollation.compare("~", "$") < 0)
        #expect(LocaleCollation.compare("z", "α") < 0)
        #expect(LocaleCollation.compare("a\u{200B}b", "ab") == 0)
        #expect(LocaleCollation.compare("", "a") < 0 && LocaleCollation.compare("same", "same") == 0)
    }

    @Test func jsonKeepsInsertionOrderOnlyToTheRequestedDepth() {
        let row: Value = ["b": 1, "a": ["y": 1, "x": 2]]
        #expect(JSONText.stringify(.array([row])) == "[{\"a\":{\"x\":2,\"y\":1},\"b\":1}]")
        #expect(JSONText.stringify(.array([row]), insertionOrderDepth: 2) == "[{\"b\":1,\"a\":{\"x\":2,\"y\":1}}]")
        #expect(JSONText.stringify(["k": []], space: 2) == "{\n  \"k\": []\n}")
    }
}
