import Testing

@testable import SalkkuCore

@Suite struct BusinessIDTests {
    @Test(arguments: ["0112038-9", "2345000-4", "0201256-6", "1572860-0"])
    func validIDs(id: String) {
        #expect(BusinessID.problem(in: id) == nil)
    }

    @Test func wrongCheckDigitNamesTheExpectedOne() {
        #expect(BusinessID.problem(in: "0112038-8") == .checkDigit(expected: 9))
    }

    @Test func digitsWithRemainderOneHaveNoValidID() {
        let digits = [0, 0, 0, 0, 0, 3, 0] // weighted sum 3 × 4 = 12, remainder 1
        #expect(BusinessID.checkDigit(for: digits) == nil)
        for check in 0...9 {
            #expect(BusinessID.problem(in: "0000030-\(check)") == .remainderOne)
        }
    }

    @Test func remainderZeroGivesCheckDigitZero() {
        #expect(BusinessID.checkDigit(for: [0, 0, 0, 0, 0, 0, 0]) == 0)
        #expect(BusinessID.problem(in: "0000000-0") == nil)
    }

    @Test(arguments: ["", "1234567", "12345678", "123456-78", "1234567-", "abcdefg-h", "1234567-12", "１234567-8", " 0112038-9"])
    func badFormats(text: String) {
        #expect(BusinessID.problem(in: text) == .format)
    }

    @Test func madeIDsAreValid() {
        for base in stride(from: 0, to: 9_999_999, by: 77_777) {
            #expect(BusinessID.problem(in: BusinessID.make(from: base)) == nil)
        }
    }
}

@Suite struct LocalDateTests {
    @Test func parsesAndFormats() {
        #expect(LocalDate("2024-02-29")?.description == "2024-02-29")
        #expect(LocalDate("2023-02-29") == nil)
        #expect(LocalDate("2024-13-01") == nil)
        #expect(LocalDate("2024-1-01") == nil)
        #expect(LocalDate("2024-01-01T00") == nil)
        #expect(LocalDate("0000-01-01") == nil)
    }

    @Test func daysSinceEpochRoundTrips() {
        #expect(LocalDate("1970-01-01")!.daysSinceEpoch == 0)
        #expect(LocalDate("2000-03-01")!.daysSinceEpoch == 11017)
        for days in stride(from: -800_000, to: 2_900_000, by: 997) {
            #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test func leapYears() {
        #expect(LocalDate.isLeap(2024))
        #expect(!LocalDate.isLeap(2100))
        #expect(LocalDate.isLeap(2000))
        #expect(LocalDate.daysIn(month: 2, year: 2023) == 28)
    }
}

@Suite struct TimestampTests {
    @Test func formatsWithMillisecondsInUTC() {
        #expect(Timestamp(millisecondsSinceEpoch: 0).description == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: 1_795_341_600_123).description == "2026-11-22T10:00:00.123Z")
    }

    @Test func parsesRFC3339WithOffsets() {
        #expect(Timestamp(rfc3339: "2026-11-22T10:00:00Z")?.millisecondsSinceEpoch == 1_795_341_600_000)
        #expect(Timestamp(rfc3339: "2026-11-22T12:00:00.5+02:00")?.millisecondsSinceEpoch == 1_795_341_600_500)
        #expect(Timestamp(rfc3339: "2026-11-22 10:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-11-22T25:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-11-22T10:00:00") == nil)
    }

    @Test func textOrderIsTimeOrder() {
        let instants = [0, 999, 1000, 86_400_000, 1_795_341_600_123].map { Timestamp(millisecondsSinceEpoch: Int64($0)) }
        #expect(instants.map(\.description) == instants.map(\.description).sorted())
    }
}

@Suite struct MergePatchTests {
    // The examples of RFC 7396, appendix A.
    @Test(arguments: [
        (JSONValue.object(["a": .string("b")]), JSONValue.object(["a": .string("c")]), JSONValue.object(["a": .string("c")])),
        (.object(["a": .string("b")]), .object(["b": .string("c")]), .object(["a": .string("b"), "b": .string("c")])),
        (.object(["a": .string("b")]), .object(["a": .null]), .object([:])),
        (.object(["a": .string("b"), "b": .string("c")]), .object(["a": .null]), .object(["b": .string("c")])),
        (.object(["a": .array([.string("b")])]), .object(["a": .string("c")]), .object(["a": .string("c")])),
        (.object(["a": .string("c")]), .object(["a": .array([.string("b")])]), .object(["a": .array([.string("b")])])),
        (.object(["a": .object(["b": .string("c")])]), .object(["a": .object(["b": .string("d"), "c": .null])]),
         .object(["a": .object(["b": .string("d")])])),
        (.array([.integer(1), .integer(2)]), .object(["a": .string("b"), "c": .null]), .object(["a": .string("b")])),
        (.object(["e": .null]), .object(["a": .integer(1)]), .object(["e": .null, "a": .integer(1)])),
        (.object(["a": .string("foo")]), .null, .null),
        (.object(["a": .string("foo")]), .string("bar"), .string("bar")),
        (.object([:]), .object(["a": .object(["bb": .object(["ccc": .null])])]), .object(["a": .object(["bb": .object([:])])])),
    ])
    func rfc7396Examples(target: JSONValue, patch: JSONValue, result: JSONValue) {
        #expect(target.mergePatched(with: patch) == result)
    }
}

@Suite struct ObjectReaderTests {
    @Test func collectsEveryErrorAndNamesUnknownAndReadOnlyMembers() {
        let errors = InputErrors()
        let body = JSONValue.object([
            "municipalityCode": .string("91"), "name": .object(["sv": .integer(3)]), "population": .integer(-1),
            "id": .string("x"), "colour": .string("blue"),
        ])
        #expect(CityFields.read(body, errors: errors) == nil)
        let pointers = Set(errors.list.compactMap(\.pointer))
        #expect(pointers == ["/municipalityCode", "/name/fi", "/name/sv", "/population", "/id", "/colour"])
        #expect(errors.list.first { $0.pointer == "/id" }?.detail == "is read-only")
        #expect(errors.list.first { $0.pointer == "/colour" }?.detail == "is not a known field")
    }

    @Test func integersAreNotReals() {
        let errors = InputErrors()
        _ = CityFields.read(.object(["municipalityCode": .string("091"), "name": .object(["fi": .string("H")]),
                                     "population": .real(1.0)]), errors: errors)
        #expect(errors.list == [FieldError(pointer: "/population", "must be an integer, not number")])
    }

    @Test func serviceNeedsAProviderUnlessPlanned() {
        func read(_ lifecycle: String) -> [FieldError] {
            let errors = InputErrors()
            _ = ServiceFields.read(.object([
                "name": .string("S"), "sector": .string("administration"), "owner": .object(["name": .string("O")]),
                "lifecycle": .string(lifecycle), "criticality": .string("low"),
            ]), errors: errors)
            return errors.list
        }
        #expect(read("plan").isEmpty)
        #expect(read("active") == [FieldError(pointer: "/providerId", "is required unless lifecycle is plan")])
    }

    @Test func lifecycleDatesMayNotGoBackwards() {
        let errors = InputErrors()
        _ = LifecycleDates.read(.object(["active": .string("2024-01-01"), "phaseOut": .string("2023-01-01")]),
                                at: .root.appending("lifecycleDates"), errors: errors)
        #expect(errors.list == [FieldError(pointer: "/lifecycleDates/phaseOut", "must be on or after active")])
    }

    @Test func pointersEscapeSlashAndTilde() {
        #expect(JSONPointer.root.appending("a/b~c").appending(3).description == "/a~1b~0c/3")
    }
}
