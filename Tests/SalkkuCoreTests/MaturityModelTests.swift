import Foundation
import Testing

@testable import SalkkuCore

@Suite struct MaturityModelTests {
    private func json(_ text: String) -> JSONValue { try! JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    private func body(_ change: (inout [String: Int64]) -> Void = { _ in }, extra: String = "") -> String {
        var values = MaturityThresholds.defaults.modelValues
        change(&values)
        let members = values.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
        return #"{"thresholds": {\#(members)}\#(extra)}"#
    }

    @Test func theMembersAreThoseOfTheThresholdsType() {
        let names = MaturityThresholds.modelMembers.map(\.name)
        #expect(names.first == "strategyMaxAgeMonths")
        #expect(Set(names) == Set(MaturityThresholds.defaults.modelValues.keys))
        #expect(names.contains("slaCoverSharePercent") && names.contains("purchaserProcessLevel"))
        for member in MaturityThresholds.modelMembers { #expect(member.range.contains(member.defaultValue), "\(member.name)") }
    }

    struct RangeCase: Sendable, CustomTestStringConvertible {
        var member: String
        var value: Int64
        var valid: Bool
        var testDescription: String { "\(member) = \(value)" }
    }

    static let ranges: [RangeCase] = [
        RangeCase(member: "slaCoverSharePercent", value: 0, valid: true), RangeCase(member: "slaCoverSharePercent", value: 100, valid: true),
        RangeCase(member: "slaCoverSharePercent", value: 101, valid: false), RangeCase(member: "slaCoverSharePercent", value: -1, valid: false),
        RangeCase(member: "purchaserProcessLevel", value: 5, valid: true), RangeCase(member: "purchaserProcessLevel", value: 6, valid: false),
        RangeCase(member: "strategyAlternativeLevel", value: 0, valid: true),
        RangeCase(member: "strategyMaxAgeMonths", value: 0, valid: false), RangeCase(member: "strategyMaxAgeMonths", value: 600, valid: true),
        RangeCase(member: "strategyMaxAgeMonths", value: 601, valid: false),
    ]

    @Test(arguments: ranges) func everyMemberIsValidatedInItsRange(_ c: RangeCase) {
        let errors = InputErrors()
        let fields = MaturityModelFields.read(json(body { $0[c.member] = c.value }), errors: errors)
        #expect((fields != nil) == c.valid)
        #expect(errors.list.compactMap(\.pointer) == (c.valid ? [] : ["/thresholds/\(c.member)"]))
        if c.valid { #expect(fields?.resolved.modelValues[c.member] == c.value) }
    }

    @Test func missingUnknownAndReadOnlyMembersAreNamed() {
        let errors = InputErrors()
        let text = body({ $0.removeValue(forKey: "reportCoveragePercent"); $0["astrologyPercent"] = 5 }, extra: #", "version": 2, "publishedBy": "x", "note": 3"#)
        #expect(MaturityModelFields.read(json(text), errors: errors) == nil)
        #expect(Set(errors.list.compactMap(\.pointer)) == ["/thresholds/reportCoveragePercent", "/thresholds/astrologyPercent", "/version",
                                                             "/publishedBy", "/note"])
        let wrongType = InputErrors()
        _ = MaturityModelFields.read(json(body(extra: "").replacingOccurrences(of: "\"slaCoverSharePercent\": 80", with: "\"slaCoverSharePercent\": 80.5")),
                                     errors: wrongType)
        #expect(wrongType.list.compactMap(\.pointer) == ["/thresholds/slaCoverSharePercent"])
    }

    @Test func aStoredVersionWithoutALaterMemberReadsItsDefault() {
        var values = MaturityThresholds.defaults.modelValues
        values.removeValue(forKey: "purchaserProcessLevel")
        values["slaCoverSharePercent"] = 60
        let thresholds = MaturityThresholds(modelValues: values)
        #expect(thresholds.purchaserProcessLevel == MaturityThresholds.defaults.purchaserProcessLevel)
        #expect(thresholds.slaCoverSharePercent == 60)
        #expect(MaturityModelFields.defaults.resolved == .defaults)
    }

    @Test func theResultNamesTheVersionAndJudgesWithItsThresholds() {
        var inputs = MaturityInputs(cityId: "c", date: LocalDate("2026-12-01")!, governance: nil, effortProfile: nil, assessments: [], contracts: [],
                                    services: [], projects: [], slas: [], suppliers: [:], reporting: [:])
        #expect(Maturity(inputs).modelVersion == 1 && Maturity(inputs).thresholds == .defaults)
        var strict = MaturityThresholds.defaults
        strict.slaCoverSharePercent = 95
        inputs.model = MaturityModelVersion(version: 4, thresholds: strict)
        let maturity = Maturity(inputs)
        #expect(maturity.modelVersion == 4 && maturity.thresholds.slaCoverSharePercent == 95)
        #expect(maturity.criteria.contains { $0.threshold == .number(ExactDecimal(95)) })
    }
}
