import Foundation
import GRDB
import SalkkuCore
import SalkkuStore
import Testing

@testable import SalkkuAPI
@testable import SalkkuDemo

/// The demo as a Finnish CIO of 2026 knows the cities: social and health care with the wellbeing services counties
/// since 2023 (Helsinki excepted), employment services with the cities since 2025, Suomi.fi identification by law,
/// costs of the size the systems have, and the cities at different places on the transition path.
@Suite struct DemoRealismTests {
    struct Demo {
        var cities: [Resource<CityFields>]
        var suppliers: [Resource<SupplierFields>]
        var services: [Resource<ServiceFields>]
        var contracts: [Resource<ContractFields>]
        var slas: [Resource<SLAFields>]

        func supplier(named name: String) throws -> Resource<SupplierFields> {
            try #require(suppliers.first { $0.fields.name == name })
        }
        func city(_ code: String) throws -> Resource<CityFields> {
            try #require(cities.first { $0.fields.municipalityCode == code })
        }
        func services(of city: Resource<CityFields>) -> [Resource<ServiceFields>] { services.filter { $0.meta.cityId == city.meta.id } }
        func contracts(of city: Resource<CityFields>) -> [Resource<ContractFields>] { contracts.filter { $0.meta.cityId == city.meta.id } }
    }

    static func load(_ app: TestApp) throws -> Demo {
        try app.database.writer.read { db in
            Demo(cities: try db.fetchResources(Resource<CityFields>.order(Column("id"))),
                 suppliers: try db.fetchResources(Resource<SupplierFields>.order(Column("id"))),
                 services: try db.fetchResources(Resource<ServiceFields>.order(Column("id"))),
                 contracts: try db.fetchResources(Resource<ContractFields>.order(Column("id"))),
                 slas: try db.fetchResources(Resource<SLAFields>.order(Column("id"))))
        }
    }

    @Test func socialAndHealthCareStaysOnlyWithHelsinkiAfter2022() throws {
        let demo = try Self.load(try TestApp(demo: true))
        let countiesStart = LocalDate(year: 2023, month: 1, day: 1)!
        let socialHealthIds = Set(demo.services.filter { $0.fields.sector == .socialHealth }.map(\.meta.id))
        for city in demo.cities where city.fields.municipalityCode != "091" {
            let socialHealth = demo.services(of: city).filter { $0.fields.sector == .socialHealth }
            // History only: retired by the end of 2022.
            #expect(!socialHealth.isEmpty, "\(city.fields.name.fi) keeps its social and health history")
            for service in socialHealth {
                #expect(service.fields.lifecycle == .retired, "\(city.fields.name.fi): \(service.fields.name)")
                #expect((service.fields.lifecycleDates?.retired).map { $0 < countiesStart } == true)
            }
            for contract in demo.contracts(of: city) {
                let terms = ContractTerms(contract.fields, on: countiesStart, supplierKind: nil)
                let coversSocialHealth = contract.fields.serviceIds.contains(where: socialHealthIds.contains)
                #expect(!coversSocialHealth || terms.currentEndDate < countiesStart, "\(city.fields.name.fi): \(contract.fields.title)")
                #expect(contract.fields.sector != .socialHealth && contract.fields.category != .socialHealthServices,
                        "\(city.fields.name.fi): \(contract.fields.title)")
            }
        }
        let helsinki = try demo.city("091")
        #expect(demo.services(of: helsinki).contains { $0.fields.sector == .socialHealth && $0.fields.lifecycle == .active })
        // An IT system's development is a service contract, whatever sector it serves.
        #expect(demo.contracts.allSatisfy { $0.fields.category != .socialHealthServices })
    }

    @Test func employmentServicesAreInEveryCityFrom2025() throws {
        let demo = try Self.load(try TestApp(demo: true))
        let transfer = LocalDate(year: 2025, month: 1, day: 1)!
        for city in demo.cities {
            let employment = demo.services(of: city).filter { $0.fields.name == DemoData.employmentCaseManagement }
            #expect(employment.count == 1, "\(city.fields.name.fi)")
            for service in employment {
                #expect(service.fields.lifecycle == .active)
                #expect(service.fields.lifecycleDates?.active == transfer)
                let contracts = demo.contracts(of: city).filter { $0.fields.serviceIds.contains(service.meta.id) }
                #expect(!contracts.isEmpty, "\(city.fields.name.fi) has a contract for its employment services")
                #expect(contracts.allSatisfy { $0.fields.startDate >= transfer })
            }
        }
    }

    @Test func suomiFiIdentificationIsProvidedByLawNotProcured() throws {
        let demo = try Self.load(try TestApp(demo: true))
        let agency = try demo.supplier(named: "Digi- ja väestötietovirasto")
        #expect(agency.fields.businessId == "0245437-2")
        #expect(!demo.contracts.contains { $0.fields.supplierId == agency.meta.id })
        for city in demo.cities {
            let identification = demo.services(of: city).filter { $0.fields.name == DemoData.suomiFiIdentification }
            #expect(identification.map(\.fields.providerId) == [agency.meta.id], "\(city.fields.name.fi)")
        }
        #expect(!demo.contracts.contains { $0.fields.title.localizedCaseInsensitiveContains("tunnistau") })
    }

    @Test func suppliersServeOnlyTheCitiesThatMayBuyFromThem() throws {
        let demo = try Self.load(try TestApp(demo: true))
        let helsinki = try demo.city("091")
        let enterprise = try #require(demo.suppliers.first { $0.fields.kind == .municipalEnterprise })
        #expect(enterprise.fields.ownerCityId == helsinki.meta.id)
        for (index, shared) in DemoData.sharedSuppliers.enumerated() {
            let supplier = try demo.supplier(named: shared.name)
            for (cityIndex, city) in demo.cities.enumerated() where !DemoData.mayBuy(cityIndex: cityIndex, from: index) {
                #expect(!demo.contracts(of: city).contains { $0.fields.supplierId == supplier.meta.id }, "\(city.fields.name.fi): \(shared.name)")
                if !shared.statutory {
                    #expect(!demo.services(of: city).contains { $0.fields.providerId == supplier.meta.id }, "\(city.fields.name.fi): \(shared.name)")
                }
            }
        }
        // A city's own unit works for that city only.
        for city in demo.cities {
            let own = Set(demo.suppliers.filter { $0.fields.kind == .ownProduction && $0.fields.ownerCityId != city.meta.id }.map(\.meta.id))
            #expect(!demo.services(of: city).contains { $0.fields.providerId.map(own.contains) == true })
            #expect(!demo.contracts(of: city).contains { own.contains($0.fields.supplierId) })
        }
    }

    @Test func contractsCoverWhatTheirTitlesSayAndSLAsMeasureThose() throws {
        let demo = try Self.load(try TestApp(demo: true))
        let services = Dictionary(uniqueKeysWithValues: demo.services.map { ($0.meta.id, $0) })
        let contracts = Dictionary(uniqueKeysWithValues: demo.contracts.map { ($0.meta.id, $0) })
        let scenarios = (DemoData.contractScenarios + [DemoData.earlyChildhoodScenario]).map { ($0.title, $0.covers) }
            + [(DemoData.foreignContract.title, [DemoData.foreignContract.covers])]
        for contract in demo.contracts {
            let covered = contract.fields.serviceIds.compactMap { services[$0]?.fields.name }
            #expect(!covered.isEmpty, "\(contract.fields.title)")
            if let scenario = scenarios.first(where: { $0.0 == contract.fields.title }) {
                #expect(covered == scenario.1, "\(contract.fields.title)")
            } else {
                // A purchaser–provider city's service agreement covers what its provider produces.
                #expect(contract.fields.title.hasPrefix("Palvelusopimus: "))
                #expect(contract.fields.serviceIds.allSatisfy { services[$0]?.fields.providerId == contract.fields.supplierId })
            }
        }
        for sla in demo.slas {
            let contract = try #require(contracts[sla.fields.contractId])
            #expect(contract.fields.serviceIds.contains(sla.fields.serviceId))
        }
    }

    /// Costs follow the kind of system and the city's size, not the city's place in a list.
    @Test func costsAreOfTheSizeTheSystemsHave() throws {
        let demo = try Self.load(try TestApp(demo: true))
        for city in demo.cities {
            let population = Double(try #require(city.fields.population))
            func cost(_ name: String) throws -> Double {
                Double(try #require(demo.services(of: city).first { $0.fields.name == name }?.fields.annualCostCents)) / 100
            }
            // A workstation service costs some 10–25 € a resident a year, a network some 4–12 €, Suomi.fi little.
            let workstationService = try cost("Työasemapalvelu"), network = try cost("Tietoliikenneverkko")
            let identification = try cost(DemoData.suomiFiIdentification)
            #expect((10...25).contains(workstationService / population), "\(city.fields.name.fi)")
            #expect((4...12).contains(network / population), "\(city.fields.name.fi)")
            #expect(identification < 200_000)
            let workstations = try #require(demo.contracts(of: city).first { $0.fields.title == "Työasemapalvelun kokonaistoimitus" })
            #expect(Double(workstations.fields.annualValueCents ?? 0) / 100 <= workstationService)
        }
        let helsinki = try demo.city("091"), turku = try demo.city("853")
        let records = try #require(demo.services(of: helsinki).first { $0.fields.name == "Potilastietojärjestelmä" }?.fields.annualCostCents)
        #expect(records >= 10_000_000 * 100)
        func workstations(_ city: Resource<CityFields>) -> Int64 {
            demo.contracts(of: city).first { $0.fields.title == "Työasemapalvelun kokonaistoimitus" }?.fields.annualValueCents ?? 0
        }
        #expect(workstations(helsinki) > 2 * workstations(turku))
    }

    /// The cities stand at plausible, different places on the transition path.
    @Test func citiesStandAtDifferentStages() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let cities = try await client.send(.get, "/v1/cities").json()["items"]!.array
            var stages: [String: Int64] = [:], arrangements: [String: String] = [:]
            for city in cities {
                let maturity = try await client.send(.get, "/v1/cities/\(city["id"]!.string!)/maturity").json()
                let code = city["municipalityCode"]!.string!
                stages[code] = maturity["stage"]?["level"]?.int
                arrangements[code] = maturity["productionArrangement"]?["arrangement"]?.string
            }
            // Turku decentralised; Helsinki, Espoo and Tampere centrally steered; Vantaa purchaser–provider.
            #expect(stages == ["091": 2, "049": 2, "092": 3, "837": 2, "853": 1])
            #expect(arrangements == ["091": "current", "049": "hybrid", "092": "one-stop", "837": "current", "853": "current"])
        }
    }

    /// What issue 19 brought shows in the demo: a foreign supplier, own production separated from IT management,
    /// capability sourcing that names its provider and sector expertise with the support it needs.
    @Test func theDemoShowsForeignSuppliersSeparatedProductionAndWhoProvidesCapabilities() async throws {
        let app = try TestApp(demo: true)
        let demo = try Self.load(app)
        let foreign = try demo.supplier(named: "Skolplattform Norden AB")
        #expect(foreign.fields.businessId == nil && foreign.fields.vatNumber == "SE556781234101" && foreign.fields.country == "SE")
        let espoo = try demo.city("049")
        #expect(demo.contracts(of: espoo).contains { $0.fields.supplierId == foreign.meta.id && $0.fields.procedure == .open })
        let separated = demo.suppliers.filter(\.fields.separatedFromItManagement)
        #expect(separated.map(\.fields.ownerCityId) == [try demo.city("092").meta.id])
        try await app.run { client in
            for code in ["091", "092"] {
                let city = try demo.city(code).meta.id
                let sourced = try await client.send(.get, "/v1/cities/\(city)/capabilities").json()["items"]!.array.filter { $0["sourcing"] != nil && $0["sourcing"] != .null }
                // Expertise in a sector the city no longer serves is not recorded (Vantaa's social and health care is the county's).
                #expect(sourced.contains { $0["id"]?.string == "sector-expertise/social-health" } == (code == "091"))
                #expect(sourced.contains { $0["providerId"]?.string != nil })
                #expect(sourced.filter { $0["id"]!.string!.hasPrefix("sector-expertise/") }.allSatisfy { $0["expertSupportNeed"]?.string != nil })
                // Planning of the city's own names no supplier: it is IT management's.
                #expect(sourced.first { $0["id"]?.string == "strategic-ict-planning" }?["providerId"]?.string == nil)
            }
        }
    }
}
