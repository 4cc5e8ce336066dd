import Foundation
import Testing

@testable import SalkkuCore

@Suite struct LegacyBusinessIDTests {
    /// Six-digit IDs from before the register padded them gain their leading zero; the check digit is verified on
    /// the padded form.
    @Test(arguments: [
        ("0112038-9", "0112038-9"), ("112038-9", "0112038-9"), ("201256-6", "0201256-6"), ("2345000-4", "2345000-4"),
    ])
    func acceptedForms(sent: String, stored: String) throws {
        #expect(try BusinessID.normalized(sent).get() == stored)
    }

    @Test(arguments: [
        ("112038-8", BusinessID.Problem.checkDigit(expected: 9)), ("12038-9", .format), ("112038-", .format),
        ("1120389", .format), ("000030-5", .remainderOne), ("11203-89", .format),
    ])
    func refusedForms(sent: String, problem: BusinessID.Problem) {
        #expect(throws: problem) { try BusinessID.normalized(sent).get() }
    }
}

@Suite struct VATNumberTests {
    @Test(arguments: [
        "SE556677889901", "DE123456789", "ATU12345678", "FRXX123456789", "FR40303265045", "FR44732829320", "FR0X123456789", "NL123456789B01", "ESX1234567X",
        "ES12345678Z", "IE1234567WA", "IE1234567T", "IE1S34567T", "EL123456789", "BG123456789", "BG1234567890", "RO12",
        "RO1234567890", "CZ12345678", "CZ1234567890", "XIGD123", "XI123456789", "CY12345678L", "LT123456789012", "FI01120389",
        "BE0123456789", "DK12345678", "PL1234567890", "HR12345678901",
    ])
    func validNumbers(number: String) {
        #expect(VATNumber.problem(in: number) == nil)
    }

    @Test(arguments: [
        ("GR123456789", VATNumber.Problem.prefix), ("US123456789", .prefix), ("SE", .prefix), ("S1556677889901", .prefix),
        ("SE5566778899", .format(country: "SE")), ("SE556677889902", .format(country: "SE")), ("DE12345678", .format(country: "DE")),
        ("ATX12345678", .format(country: "AT")), ("FRIO123456789", .format(country: "FR")), ("NL123456789A01", .format(country: "NL")),
        ("BG12345678", .format(country: "BG")), ("RO12345678901", .format(country: "RO")), ("BE2123456789", .format(country: "BE")),
        ("CY123456789", .format(country: "CY")), ("FI0112038", .format(country: "FI")), ("DE12345678é", .prefix),
        // France: a numeric key is (12 + 3 × (SIREN mod 97)) mod 97.
        ("FR41303265045", .checkKey(country: "FR", expected: "40")), ("FR12345678901", .checkKey(country: "FR", expected: "15")),
        ("FR00303265045", .checkKey(country: "FR", expected: "40")),
    ])
    func refusedNumbers(number: String, problem: VATNumber.Problem) {
        #expect(VATNumber.problem(in: number) == problem)
    }

    @Test func writtenFormsAreNormalised() {
        #expect(VATNumber.normalized("se 5566.7788-9901") == "SE556677889901")
        #expect(VATNumber.country(ofPrefix: "EL") == "GR")
        #expect(VATNumber.country(ofPrefix: "XI") == "GB")
        #expect(VATNumber.country(ofPrefix: "SE") == "SE")
    }
}

@Suite struct SupplierReadingTests {
    private func read(_ json: String) throws -> (fields: SupplierFields?, errors: [String: String]) {
        let errors = InputErrors()
        let fields = SupplierFields.read(try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)), errors: errors)
        return (fields, Dictionary(errors.list.map { ($0.pointer ?? "", $0.detail) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Which members each body is refused for; an empty set is accepted.
    static let bodies: [(String, Set<String>)] = [
        // Foreign suppliers: a VAT number, or a registry id with its country, instead of a business ID.
        (#""kind": "commercial", "vatNumber": "SE556677889901""#, Set<String>()),
        (#""kind": "commercial", "vatNumber": "SE556677889901", "country": "SE""#, []),
        (#""kind": "shared-service-centre", "foreignRegistryId": "HRB 12345", "country": "DE""#, []),
        (#""kind": "commercial", "foreignRegistryId": "HRB 12345""#, ["/country"]),
        (#""kind": "commercial", "vatNumber": "SE556677889901", "country": "DE""#, ["/country"]),
        (#""kind": "commercial", "vatNumber": "EL123456789", "country": "GR""#, []),
        (#""kind": "commercial", "businessId": "0112038-9", "country": "SE""#, ["/country"]),
        (#""kind": "commercial", "foreignRegistryId": "1", "country": "FI""#, ["/country"]),
        (#""kind": "commercial", "foreignRegistryId": "1", "country": "se""#, ["/country"]),
        (#""kind": "commercial""#, ["/businessId"]),
        (#""kind": "commercial", "vatNumber": "US123456789""#, ["/vatNumber"]),
        (#""kind": "in-house-company", "vatNumber": "SE556677889901""#, ["/businessId"]),
        // A Finnish VAT number is the business ID's digits.
        (#""kind": "commercial", "businessId": "0112038-9", "vatNumber": "FI01120389""#, []),
        (#""kind": "commercial", "businessId": "0112038-9", "vatNumber": "FI23450004""#, ["/vatNumber"]),
        (#""kind": "commercial", "vatNumber": "FI01120389""#, ["/vatNumber"]),
        // Own production and municipal enterprises are part of one city and carry its business ID.
        (#""kind": "municipal-enterprise", "businessId": "0201256-6""#, ["/ownerCityId"]),
        (#""kind": "municipal-enterprise", "ownerCityId": "c1", "vatNumber": "SE556677889901""#, ["/businessId"]),
        (#""kind": "own-production", "businessId": "0201256-6", "ownerCityId": "c1""#, []),
        (#""kind": "commercial", "businessId": "0201256-6", "ownerCityId": "c1""#, ["/ownerCityId"]),
        // Owners: only of in-house companies and shared service centres; shares 0–100, three decimals, total ≤ 100.
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"cityId": "c1", "sharePercent": 51.5}, {"municipalityCode": "049", "sharePercent": 48.5}]"#, []),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"municipalityCode": "049", "sharePercent": 0.001}]"#, []),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"municipalityCode": "049", "sharePercent": 0}]"#, ["/owners/0/sharePercent"]),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"municipalityCode": "049", "sharePercent": 1e308}]"#, ["/owners/0/sharePercent"]),
        (#""kind": "shared-service-centre", "businessId": "0112038-9", "owners": []"#, []),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": null"#, []),
        (#""kind": "commercial", "businessId": "0112038-9", "owners": [{"cityId": "c1", "sharePercent": 10}]"#, ["/owners"]),
        (#""kind": "own-production", "businessId": "0112038-9", "ownerCityId": "c1", "owners": [{"cityId": "c1", "sharePercent": 100}]"#, ["/owners"]),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"cityId": "c1", "sharePercent": 60}, {"cityId": "c2", "sharePercent": 40.001}]"#, ["/owners"]),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"cityId": "c1", "sharePercent": 33.3335}]"#, ["/owners/0/sharePercent"]),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"cityId": "c1", "sharePercent": 100.5}]"#, ["/owners/0/sharePercent"]),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"cityId": "c1", "sharePercent": -1}]"#, ["/owners/0/sharePercent"]),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"cityId": "c1"}]"#, ["/owners/0/sharePercent"]),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"cityId": "c1", "municipalityCode": "049", "sharePercent": 1}]"#, ["/owners/0"]),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"sharePercent": 1}]"#, ["/owners/0"]),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"municipalityCode": "49", "sharePercent": 1}]"#, ["/owners/0/municipalityCode"]),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"cityId": "c1", "sharePercent": 1}, {"cityId": "c1", "sharePercent": 2}]"#, ["/owners/1"]),
        (#""kind": "in-house-company", "businessId": "0112038-9", "owners": [{"cityId": "c1", "sharePercent": 1, "name": "x"}]"#, ["/owners/0/name"]),
    ]

    @Test(arguments: SupplierReadingTests.bodies)
    func members(body: String, refused: Set<String>) throws {
        let (fields, errors) = try read(#"{"name": "Toimittaja", "# + body + "}")
        #expect(Set(errors.keys) == refused, "\(errors)")
        #expect((fields != nil) == refused.isEmpty)
    }

    @Test func storedValuesAreTheNormalisedOnes() throws {
        let legacy = try #require(try read(#"{"name": "Vanha Oy", "businessId": "112038-9", "kind": "commercial"}"#).fields)
        #expect(legacy.businessId == "0112038-9")
        let foreign = try #require(try read(#"{"name": "Svensk AB", "vatNumber": "se 556677-8899 01", "kind": "commercial"}"#).fields)
        #expect(foreign.vatNumber == "SE556677889901" && foreign.businessId == nil)
        let owned = try #require(try read(#"{"name": "Kuntaäly Oy", "businessId": "2345000-4", "kind": "in-house-company", "owners": [{"cityId": "c1", "sharePercent": 12.25}]}"#).fields)
        #expect(owned.owners == [SupplierOwner(cityId: "c1", sharePercent: ExactDecimal(thousandths: 12_250))])
    }

    @Test func refusalsSayWhy() throws {
        let errors = try read(#"{"name": "x", "kind": "in-house-company", "businessId": "0112038-9", "owners": [{"cityId": "c1", "sharePercent": 70}, {"municipalityCode": "049", "sharePercent": 30.5}]}"#).errors
        #expect(errors["/owners"] == "shares add up to 100.5 %, more than 100")
        #expect(try read(#"{"name": "x", "kind": "commercial"}"#).errors["/businessId"]?.contains("vatNumber") == true)
        // A share far outside its range names the range, not the limit of numbers in general.
        for share in ["0", "100.5", "1e308", "-1e308"] {
            let errors = try read(#"{"name": "x", "kind": "in-house-company", "businessId": "0112038-9", "owners": [{"cityId": "c1", "sharePercent": \#(share)}]}"#).errors
            #expect(errors["/owners/0/sharePercent"] == "must be greater than 0 and at most 100, with at most 3 fractional digits", "\(share)")
        }
    }

    /// An in-house company names its owners when it is made, becomes one, or would lose them; one stored before
    /// owners were recorded stays changeable. A shared service centre may be state-owned, with no municipal owner.
    static let owned = SupplierFields(name: "Kuntaäly Oy", businessId: "2345000-4", kind: .inHouseCompany,
                                      owners: [SupplierOwner(municipalityCode: "049", sharePercent: ExactDecimal(10))])
    static let changes: [(SupplierFields?, SupplierFields, Bool)] = {
        var ownerless = owned
        ownerless.owners = nil
        var emptied = owned
        emptied.owners = []
        var market = owned
        market.kind = .commercial
        market.owners = nil
        var centre = ownerless
        centre.kind = .sharedServiceCentre
        var renamed = ownerless
        renamed.name = "Kuntaäly Ab"
        return [
            (nil, owned, true), (nil, ownerless, false), (nil, emptied, false), (nil, centre, true),
            (owned, ownerless, false), (owned, emptied, false), (owned, owned, true), (market, ownerless, false),
            (ownerless, renamed, true), (ownerless, emptied, true), (ownerless, owned, true), (centre, ownerless, false),
        ]
    }()

    @Test(arguments: SupplierReadingTests.changes)
    func inHouseCompaniesNameTheirOwners(current: SupplierFields?, proposed: SupplierFields, accepted: Bool) {
        let problems = proposed.changeProblems(from: current)
        #expect(problems.isEmpty == accepted, "\(problems)")
        #expect(problems.allSatisfy { $0.pointer == "/owners" })
    }
}

@Suite struct InHouseControlTests {
    static let owned = SupplierFields(name: "Kuntaäly Oy", businessId: "2345000-4", kind: .inHouseCompany, owners: [
        SupplierOwner(cityId: "helsinki", sharePercent: ExactDecimal(40)), SupplierOwner(municipalityCode: "049", sharePercent: ExactDecimal(20)),
    ])

    /// The buying city (id, municipality code) against the supplier: whether it controls it, nil for a market supplier.
    static let cases: [(SupplierFields, String, String?, Bool?)] = [
        (InHouseControlTests.owned, "helsinki", "091" as String?, true as Bool?), (InHouseControlTests.owned, "espoo", "049", true),
        (InHouseControlTests.owned, "vantaa", "092", false),
        (InHouseControlTests.owned, "vantaa", nil, false),
        (SupplierFields(name: "Palvelukeskus", businessId: "0112038-9", kind: .sharedServiceCentre), "helsinki", "091", false),
        (SupplierFields(name: "Oma", businessId: "0201256-6", kind: .ownProduction, ownerCityId: "helsinki"), "helsinki", "091", true),
        (SupplierFields(name: "Liikelaitos", businessId: "0201256-6", kind: .municipalEnterprise, ownerCityId: "helsinki"), "espoo", "049", false),
        (SupplierFields(name: "Markkina Oy", businessId: "0112038-9", kind: .commercial), "helsinki", "091", nil),
    ]

    @Test(arguments: InHouseControlTests.cases)
    func control(supplier: SupplierFields, cityId: String, code: String?, controls: Bool?) {
        #expect(supplier.isControlled(byCityId: cityId, municipalityCode: code) == controls)
    }
}
