import Testing

@testable import SalkkuCore

/// The register a municipality code is checked against: Statistics Finland's classification in force from 2025.
@Suite struct MunicipalitiesTests {
    @Test func theClassificationHas308MunicipalitiesByUniqueCode() {
        let codes = Municipalities.all.map(\.code)
        #expect(codes.count == 308)
        #expect(codes == codes.sorted())
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy(MunicipalityCode.isValid))
        // Åland's sixteen.
        #expect(["035", "043", "060", "062", "065", "076", "170", "295", "318", "417", "438", "478", "736", "766", "771", "941"]
            .allSatisfy { Municipalities.name(of: $0) != nil })
    }

    @Test(arguments: [
        ("091", "Helsinki"), ("049", "Espoo"), ("092", "Vantaa"), ("837", "Tampere"), ("853", "Turku"), ("564", "Oulu"),
        ("179", "Jyväskylä"), ("297", "Kuopio"), ("398", "Lahti"), ("609", "Pori"), ("286", "Kouvola"), ("167", "Joensuu"),
        ("405", "Lappeenranta"), ("109", "Hämeenlinna"), ("905", "Vaasa"), ("743", "Seinäjoki"), ("698", "Rovaniemi"),
        ("491", "Mikkeli"), ("285", "Kotka"), ("734", "Salo"), ("272", "Kokkola"), ("507", "Mäntyharju"), ("214", "Kankaanpää"),
    ])
    func theCodesOfDomainMdAndOfTheMergersHosts(code: String, name: String) {
        #expect(Municipalities.name(of: code) == name)
        #expect(MunicipalityCode.problem(code) == nil)
    }

    /// Merged away: Valtimo into Nurmes (2020), Honkajoki into Kankaanpää (2021), Pertunmaa into Mäntyharju (2025).
    @Test(arguments: ["911", "099", "588", "998", "000"])
    func aCodeOutsideTheClassificationNamesNoMunicipality(code: String) {
        #expect(Municipalities.name(of: code) == nil)
        #expect(MunicipalityCode.problem(code)?.contains("names no municipality") == true)
    }

    @Test func theFormIsJudgedFirst() {
        #expect(MunicipalityCode.problem("91")?.contains("three digits") == true)
        #expect(MunicipalityCode.problem("O91")?.contains("three digits") == true)
    }
}
