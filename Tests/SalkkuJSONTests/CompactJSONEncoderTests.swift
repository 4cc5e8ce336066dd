import Foundation
import SalkkuCore
import Testing

@testable import SalkkuJSON

/// The fast encoder must write what Foundation's encoder writes with sorted keys and unescaped slashes.
@Suite struct CompactJSONEncoderTests {
    func foundation(_ value: some Encodable) throws -> String {
        String(decoding: try CompactJSONEncoder.foundationEncoding(of: value), as: UTF8.self)
    }

    func expectSame(_ value: some Encodable, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let compact = String(decoding: try CompactJSONEncoder.encode(value), as: UTF8.self)
        #expect(compact == (try foundation(value)), sourceLocation: sourceLocation)
    }

    struct Inner: Codable { var zeta: Int; var alpha: String?; var list: [Int] }
    struct Outer: Codable {
        var name: String
        var inner: Inner
        var inners: [Inner]
        var byKey: [String: Int]
        var optionalMissing: Int?
        var flag: Bool
        var big: Int64
        var small: Int8
        var unsigned: UInt64
        var amount: ExactDecimal
        var day: LocalDate
    }

    /// Two containers on one encoder make one object, as `Evaluated` does with a record and its computed members.
    struct Merged: Encodable {
        func encode(to encoder: any Encoder) throws {
            try Inner(zeta: 1, alpha: "a", list: []).encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode("computed", forKey: .middle)
            try container.encodeNil(forKey: .nothing)
        }
        enum Key: String, CodingKey { case middle, nothing }
    }

    struct Repeated: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(1, forKey: .b)
            try container.encode(2, forKey: .a)
            try container.encode(3, forKey: .b)
        }
        enum Key: String, CodingKey { case a, b }
    }

    @Test func nestedRecordsListsAndDictionaries() throws {
        let inner = Inner(zeta: -12, alpha: nil, list: [3, 2, 1])
        try expectSame(Outer(
            name: "Sopimus \"A\" / B\\C", inner: inner, inners: [inner, Inner(zeta: 0, alpha: "x", list: [])],
            byKey: ["b": 2, "a": 1, "ä": 3, "Z": 4, "a1": 5, "": 6], optionalMissing: nil, flag: true,
            big: Int64.min, small: -128, unsigned: UInt64.max, amount: ExactDecimal("-1234.005")!, day: LocalDate("2026-02-28")!))
    }

    @Test func mergedContainersAndRepeatedKeys() throws {
        try expectSame(Merged())
        try expectSame([Merged(), Merged()])
        try expectSame(Repeated())
    }

    @Test func everyControlCharacterAndNonASCIIText() throws {
        let controls = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        try expectSame([controls, "\u{7F}", "åäö ÅÄÖ", "€ 𝄞 \u{2028}\u{2029}", "a/b</script>", "", "\u{FEFF}"])
        try expectSame(["k\n\"ey": controls])
    }

    @Test func scalarsAtTheTopAndNumbersOfEveryKind() throws {
        try expectSame("plain")
        try expectSame(42)
        try expectSame(true)
        try expectSame([0.1, 1.0, -2.5, 1e100, 123456789.125])
        try expectSame([Decimal(string: "99.9")!, Decimal(string: "0.001")!, Decimal(-5), Decimal(string: "1000000")!])
        try expectSame([ExactDecimal("0")!, ExactDecimal("99.95")!, ExactDecimal("-0.001")!])
        try expectSame([Int?.none, 1])
        try expectSame([String: [String: Int]]())
        try expectSame([[Int]]())
        try expectSame(Timestamp(rfc3339: "2026-11-23T10:00:00.123Z")!)
    }

    @Test func freeFormJSONValues() throws {
        try expectSame(JSONValue.object([
            "b": .array([.integer(1), .real(1.5), .null, .bool(false), .string("x")]),
            "a": .object(["nested": .object([:]), "empty": .array([])]),
        ]))
    }

    /// Dates, instants and decimals are written by the encoder itself, not through the strings they make.
    struct Dated: Encodable {
        var date: LocalDate
        var instant: Timestamp
        var amount: ExactDecimal?
        var dates: [LocalDate]
    }

    @Test func instantsAsFoundationWritesThem() throws {
        for text in ["1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "2026-11-23T09:05:03.007Z", "0001-01-01T00:00:00.000Z"] {
            let instant = Timestamp(rfc3339: text)!
            try expectSame(instant)
            #expect(String(decoding: try CompactJSONEncoder.encode(instant), as: UTF8.self) == "\"\(text)\"")
        }
    }

    @Test func datesInstantsAndDecimalsInsideCodableValues() throws {
        let instant = Timestamp(rfc3339: "2026-11-23T09:05:03.007Z")!
        let values = ["0001-01-01", "0999-12-31", "2026-02-28", "9999-12-31"].enumerated().map { index, text in
            Dated(date: LocalDate(text)!, instant: instant, amount: index == 0 ? nil : ExactDecimal(["-0.5", "100", "12.345"][index - 1])!,
                  dates: [LocalDate(text)!])
        }
        try expectSame(["items": values])
        #expect(String(decoding: try CompactJSONEncoder.encode(values[1]), as: UTF8.self)
            == #"{"amount":-0.5,"date":"0999-12-31","dates":["0999-12-31"],"instant":"2026-11-23T09:05:03.007Z"}"#)
    }

    @Test func randomTreesAgree() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            try expectSame(JSONValue.random(depth: 4, using: &generator))
        }
    }
}

struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension JSONValue {
    static func random(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let alphabet: [Character] = ["a", "B", "ä", "\"", "\\", "/", "\n", "\u{1}", "€", "𝄞", " ", "z"]
        func text() -> String { String((0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }) }
        switch Int.random(in: 0...(depth > 0 ? 6 : 4), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .integer(Int64.random(in: Int64.min...Int64.max, using: &generator))
        case 3: return .string(text())
        case 4: return .real(Double.random(in: -1e6...1e6, using: &generator))
        case 5: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in random(depth: depth - 1, using: &generator) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &generator) { members[text()] = random(depth: depth - 1, using: &generator) }
            return .object(members)
        }
    }
}
