import EngramCore
import Foundation
import Testing
import EngramTestSupport

@Suite struct MessagePackTests {
    /// Values that exercise every MessagePack format family and width boundary.
    static let samples: [Value] = {
        var v: [Value] = [.null, true, false]
        let ints: [Int64] = [
            0, 1, 127, 128, 255, 256, 65535, 65536, 4_294_967_295, 4_294_967_296, .max,
            -1, -32, -33, -128, -129, -32768, -32769, -2_147_483_648, -2_147_483_649, .min,
        ]
        v += ints.map { .int($0) }
        v += [0.0, -0.5, 1.5, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude].map { .double($0) }
        v += [0, 1, 31, 32, 255, 256, 65535, 65536].map { .string(String(repeating: "é", count: $0 / 2) + String(repeating: "a", count: $0 % 2)) }
        v += [0, 1, 255, 256, 65535, 65536].map { .bytes([UInt8](repeating: 7, count: $0)) }
        v += [0, 15, 16, 65535, 65536].map { .array([Value](repeating: .int(1), count: $0)) }
        for n in [0, 15, 16, 65536] {
            var m = ValueMap()
            for i in 0..<n { m["k\(i)"] = .int(Int64(i)) }
            v.append(.map(m))
        }
        v += [[], [1.5], [1, 2], [1, 2, 3, 4], [Float](repeating: 0.25, count: 384)].map { .vector($0) }
        v.append(["nested": [["deep": [1, "two", nil, ["x": .bytes([1])]]]], "v": .vector([3])])
        return v
    }()

    @Test(arguments: samples.indices)
    func roundTripsEveryTypeAndWidth(index: Int) throws {
        let value = Self.samples[index]
        #expect(try MessagePack.decode(MessagePack.encode(value)) == value)
    }

    @Test func integersUseTheSmallestEncoding() {
        #expect(MessagePack.encode(.int(127)) == [0x7f])
        #expect(MessagePack.encode(.int(128)) == [0xcc, 0x80])
        #expect(MessagePack.encode(.int(-32)) == [0xe0])
        #expect(MessagePack.encode(.int(-33)) == [0xd0, 0xdf])
        #expect(MessagePack.encode(.int(65536)).first == 0xce)
        #expect(MessagePack.encode(.int(.min)).first == 0xd3)
        #expect(MessagePack.encode(.vector([1])).prefix(2) == [0xd6, 0x01])
    }

    @Test func decodesFormatsTheEncoderNeverWrites() throws {
        #expect(try MessagePack.decode([0xca, 0x3f, 0xc0, 0x00, 0x00]) == .double(1.5))  // float32
        #expect(try MessagePack.decode([0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) == .double(18_446_744_073_709_551_616.0))
        #expect(try MessagePack.decode([0xd9, 0x01, 0x61]) == "a")  // str8 for a short string
        #expect(try MessagePack.decode([0xdc, 0x00, 0x01, 0x01]) == [1])  // array16
        #expect(try MessagePack.decode([0xde, 0x00, 0x01, 0xa1, 0x6b, 0x02]) == ["k": 2])  // map16
        #expect(try MessagePack.decode([0xd6, 0xff, 0x00, 0x00, 0x00, 0x01]) == .double(1000))  // timestamp32
    }

    /// Every malformed input is an error, never a crash.
    @Test(arguments: [
        [UInt8](), [0xc1], [0xd9], [0xd9, 0x05, 0x61], [0xdd, 0xff, 0xff, 0xff, 0xff], [0xdf, 0xff, 0xff, 0xff, 0xff, 0x01],
        [0x81, 0x01, 0x02], [0x82, 0xa1, 0x61, 0x01, 0xa1, 0x61, 0x02], [0xa2, 0xff, 0xfe], [0xd5, 0x01, 0x00, 0x00],
        [0xc7, 0x03, 0x05, 0x00, 0x00, 0x00], [0x01, 0x02], [0xc4, 0x10, 0x00], [0xcb, 0x00],
    ])
    func rejectsMalformedInput(bytes: [UInt8]) {
        #expect(throws: EngramError.self) { try MessagePack.decode(bytes) }
    }

    @Test func rejectsEveryTruncationOfAValidEncoding() {
        let full = MessagePack.encode(["a": [1, 2.5, "three", .bytes([4]), .vector([5])], "b": .int(.max)])
        for n in 0..<full.count {
            #expect(throws: EngramError.self) { try MessagePack.decode(Array(full.prefix(n))) }
        }
    }

    @Test func enforcesDepthAndSizeLimits() {
        let deep = [UInt8](repeating: 0x91, count: 100) + [0xc0]
        #expect(throws: EngramError.self) { try MessagePack.decode(deep) }
        let limits = DecodingLimits(maxDepth: 64, maxInputBytes: 4)
        #expect(throws: EngramError.self) { try MessagePack.decode(MessagePack.encode("hello"), limits: limits) }
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let bytes = (0..<Int.random(in: 0...24, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? MessagePack.decode(bytes)
        }
    }
}

/// Interoperability with Python's `msgpack` package, in both directions.
@Suite struct MessagePackPythonInteropTests {
    static let python = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"

    /// Runs `script` with `input` on stdin and returns stdout.
    func runPython(_ script: String, input: [UInt8]) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [Self.python, "-c", script]
        let stdin = Pipe(), stdout = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        try launchSerially(p)
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return [UInt8](out)
    }

    @Test func pythonDecodesWhatSwiftEncodesAndBack() throws {
        // Python decodes, checks the values it expects, and re-encodes them for Swift.
        let value: Value = [
            "int": 300, "neg": -70000, "big": .int(1 << 40), "float": 0.25, "str": "naïve ☃", "bin": .bytes([0, 1, 2]),
            "arr": [nil, true, false], "map": ["x": [1, 2]], "vec": .vector([1.5, -2]),
        ]
        let script = """
            import sys, struct, msgpack
            def ext(code, data):
                assert code == 1, code
                return list(struct.unpack('<%df' % (len(data) // 4), data))
            v = msgpack.unpackb(sys.stdin.buffer.read(), raw=False, ext_hook=ext)
            assert v['int'] == 300 and v['neg'] == -70000 and v['big'] == 1 << 40 and v['float'] == 0.25
            assert v['str'] == 'naïve ☃' and v['bin'] == b'\\x00\\x01\\x02' and v['arr'] == [None, True, False]
            assert v['map'] == {'x': [1, 2]} and v['vec'] == [1.5, -2.0]
            v['vec'] = msgpack.ExtType(1, struct.pack('<2f', 1.5, -2.0))
            sys.stdout.buffer.write(msgpack.packb(v, use_bin_type=True))
            """
        let back = try runPython(script, input: MessagePack.encode(value))
        #expect(try MessagePack.decode(back) == value)
    }

    @Test func swiftDecodesEveryWidthPythonWrites() throws {
        let script = """
            import sys, msgpack
            vals = [0, 127, 128, 255, 256, 65535, 65536, 2**32, 2**63 - 1, -1, -32, -33, -129, -32769, -2**31 - 1, -2**63,
                    1.5, 'a' * 31, 'b' * 32, 'c' * 256, 'd' * 65536, b'x' * 256, b'y' * 65536, list(range(16)),
                    list(range(65536)), {str(i): i for i in range(16)}, None, True]
            sys.stdout.buffer.write(msgpack.packb(vals, use_bin_type=True))
            """
        let decoded = try MessagePack.decode(try runPython(script, input: []))
        guard case .array(let vals) = decoded else { Issue.record("not an array"); return }
        #expect(vals.count == 28)
        #expect(vals[8] == .int(.max))
        #expect(vals[15] == .int(.min))
        #expect(vals[20] == .string(String(repeating: "d", count: 65536)))
        #expect(vals[24].arrayValue?.count == 65536)
        #expect(vals[25]["15"] == 15)
    }
}
