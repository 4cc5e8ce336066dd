import SalkkuCore
import Testing

@testable import SalkkuJSON

@Suite struct StrictJSONParserTests {
    func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue { try StrictJSONParser.parse(Array(text.utf8)) }

    @Test func parsesValuesKeepingIntegersApartFromReals() throws {
        let value = try parse(#"{"a": 1, "b": 1.5, "c": [true, null, "ä"], "d": {"e": -9007199254740993}}"#)
        #expect(value == .object([
            "a": .integer(1), "b": .real(1.5), "c": .array([.bool(true), .null, .string("ä")]),
            "d": .object(["e": .integer(-9_007_199_254_740_993)]),
        ]))
    }

    @Test func duplicateKeysAreRefusedWithPosition() {
        #expect(throws: JSONSyntaxError.self) { try parse("{\"a\": 1,\n \"a\": 2}") }
        do {
            _ = try parse("{\"a\": 1,\n \"a\": 2}")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.contains("duplicate"))
        }
    }

    @Test func malformedJSONReportsLineAndColumn() {
        do {
            _ = try parse("{\n  \"a\": tru\n}")
            Issue.record("parsed malformed JSON")
        } catch {
            #expect(error.line == 2)
            #expect(error.column > 1)
        }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONSyntaxError.self) { try StrictJSONParser.parse([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]) }
    }

    @Test func nulCharactersAndTrailingDataAreRefused() {
        #expect(throws: JSONSyntaxError.self) { try parse(#"{"a": "x\u0000y"}"#) }
        #expect(throws: JSONSyntaxError.self) { try parse(#"{"a": 1} {"#) }
        #expect(throws: JSONSyntaxError.self) { try parse("") }
    }

    @Test func depthIsLimitedToThirtyTwo() throws {
        let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        _ = try parse(ok)
        let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        do {
            _ = try parse(deep)
            Issue.record("parsed 33 levels")
        } catch {
            #expect(error.line == 1)
            #expect(error.column == 33)
        }
        // Brackets inside strings do not count.
        _ = try parse("[\"" + String(repeating: "[", count: 40) + "\"]")
    }

    @Test func integersBeyondSixtyFourBitsAreRefused() {
        #expect(throws: JSONSyntaxError.self) { try parse(#"{"a": 123456789012345678901234567890}"#) }
    }
}
