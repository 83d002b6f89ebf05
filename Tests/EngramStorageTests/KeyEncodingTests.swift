import EngramCore
@testable import EngramStorage
import Testing

@Suite struct KeyEncodingTests {
    static func sign(_ x: Int) -> Int { x < 0 ? -1 : (x > 0 ? 1 : 0) }

    static func valueOrder(_ a: Value?, _ b: Value?) -> Int {
        switch (a, b) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let x?, let y?): return sign(Value.compare(x, y))
        }
    }

    @Test func byteOrderEqualsValueOrderOnRandomValues() {
        var gen = RandomValues()
        for _ in 0..<20_000 {
            let a: Value? = Int.random(in: 0..<20) == 0 ? nil : gen.value()
            let b: Value? = Int.random(in: 0..<20) == 0 ? nil : gen.value()
            let ea = KeyEncoding.encode(a), eb = KeyEncoding.encode(b)
            #expect(Self.sign(compareBytes(ea, eb)) == Self.valueOrder(a, b), "\(String(describing: a)) vs \(String(describing: b))")
        }
    }

    @Test func tuplesCompareComponentByComponent() {
        var gen = RandomValues()
        for _ in 0..<5_000 {
            let a = [gen.value(), gen.value()], b = [gen.value(), gen.value()]
            var ea: [UInt8] = [], eb: [UInt8] = []
            a.forEach { KeyEncoding.append($0, to: &ea) }
            b.forEach { KeyEncoding.append($0, to: &eb) }
            let expected = Self.valueOrder(a[0], b[0]) != 0 ? Self.valueOrder(a[0], b[0]) : Self.valueOrder(a[1], b[1])
            #expect(Self.sign(compareBytes(ea, eb)) == expected)
        }
    }

    @Test func encodingsArePrefixFree() {
        var gen = RandomValues()
        for _ in 0..<5_000 {
            let a = gen.value(), b = gen.value()
            guard a != b else { continue }
            let ea = KeyEncoding.encode(a), eb = KeyEncoding.encode(b)
            #expect(!ea.starts(with: eb) && !eb.starts(with: ea))
        }
    }

    @Test func equalNumbersEncodeEquallyAcrossIntAndDouble() {
        #expect(KeyEncoding.encode(.int(42)) == KeyEncoding.encode(.double(42)))
        #expect(KeyEncoding.encode(.double(-0.0)) == KeyEncoding.encode(.int(0)))
        #expect(KeyEncoding.encode(.int((1 << 53) + 1)) != KeyEncoding.encode(.double(9_007_199_254_740_992)))
    }

    @Test func truncationKeepsEqualityAndBoundsLength() {
        let long = String(repeating: "x", count: 2000)
        var a: [UInt8] = [], b: [UInt8] = [], c: [UInt8] = []
        let r = KeyEncoding.append(.string(long), budget: 100, to: &a)
        KeyEncoding.append(.string(long), budget: 100, to: &b)
        KeyEncoding.append(.string(long + "y"), budget: 100, to: &c)
        #expect(r.truncated && a.count <= 100)
        #expect(a == b)
        #expect(a != c)  // same kept prefix, different hash
        // A short value below the long ones keeps its order.
        var short: [UInt8] = []
        KeyEncoding.append(.string("w"), budget: 100, to: &short)
        #expect(compareBytes(short, a) < 0)
    }

    @Test func prefixSuccessorIsTheNextPrefix() {
        #expect(KeyEncoding.prefixSuccessor([1, 2, 3]) == [1, 2, 4])
        #expect(KeyEncoding.prefixSuccessor([1, 0xff]) == [2])
        #expect(KeyEncoding.prefixSuccessor([0xff, 0xff]) == nil)
    }
}
