import Foundation
import GRDB
import SalkkuCore
import Testing

@testable import SalkkuStore

@Suite struct PortfolioStoreTests {
    let database: AppDatabase
    let actor = Actor(id: "t1", name: "tester", role: "admin")
    let cityId: String
    let supplierId: String
    let serviceIds: [String]

    init() throws {
        database = try AppDatabase.temporary()
        cityId = try database.create(CityFields(municipalityCode: "092", name: LocalizedName(fi: "Vantaa"), population: nil,
                                                itOrganisation: nil), cityId: nil, by: actor).meta.id
        supplierId = try database.create(SupplierFields(name: "Oy Esimerkki Ab", businessId: "0112038-9", kind: .commercial),
                                         cityId: nil, by: actor).meta.id
        var ids: [String] = []
        for name in ["Asianhallinta", "Palkanlaskenta"] {
            ids.append(try database.create(ServiceFields(
                name: name, sector: .administration, owner: Owner(name: "A"), lifecycle: .active, providerId: supplierId,
                annualCostCents: 100, criticality: .high), cityId: cityId, by: actor).meta.id)
        }
        serviceIds = ids
    }

    func contract(serviceIds: [String]) -> ContractFields {
        ContractFields(title: "Sopimus", supplierId: supplierId, category: .services, procedure: .open,
                       procuredOn: nil, totalValueCents: 1, annualValueCents: nil, startDate: LocalDate("2026-01-01")!,
                       initialEndDate: LocalDate("2026-12-31")!, renewal: .none, noticePeriodMonths: 0,
                       managedBy: .central, serviceIds: serviceIds)
    }

    func links() throws -> [String] {
        try database.reader.read { db in try String.fetchAll(db, sql: "SELECT serviceId FROM contract_service ORDER BY serviceId") }
    }

    @Test func linkTablesFollowTheIdLists() throws {
        let created = try database.create(contract(serviceIds: serviceIds), cityId: cityId, by: actor)
        #expect(try links() == serviceIds.sorted())
        _ = try database.update(ContractFields.self, id: created.meta.id, cityId: cityId, by: actor) { record in
            var fields = record.fields
            fields.serviceIds = [serviceIds[1]]
            return fields
        }
        #expect(try links() == [serviceIds[1]])
        try database.delete(ContractFields.self, id: created.meta.id, cityId: cityId, by: actor)
        #expect(try links() == [])
    }

    @Test func schemaRejectsRowsTheDomainForbids() throws {
        let created = try database.create(contract(serviceIds: []), cityId: cityId, by: actor)
        for statement in [
            "UPDATE contract SET renewal = 'tacit' WHERE id = ?",
            "UPDATE contract SET initialEndDate = '2025-01-01' WHERE id = ?",
            "UPDATE contract SET procedure = 'handshake' WHERE id = ?",
            "UPDATE contract SET managedBy = 'sector' WHERE id = ?",
            "UPDATE contract SET serviceIds = '[\"no-such-service\"]' WHERE id = ?",
        ] {
            #expect(throws: DatabaseError.self) {
                try database.writer.write { db in try db.execute(sql: statement, arguments: [created.meta.id]) }
            }
        }
    }

    @Test func decimalsAreStoredAsThousandths() throws {
        let contractId = try database.create(contract(serviceIds: serviceIds), cityId: cityId, by: actor).meta.id
        let sla = try database.create(SLAFields(
            contractId: contractId, serviceId: serviceIds[0], name: "Käytettävyys", metric: .availability, unit: .percent,
            comparator: .atLeast, target: ExactDecimal("99.95")!, period: .month, serviceCreditPercent: ExactDecimal(5)),
            cityId: cityId, by: actor)
        let stored = try database.reader.read { db in
            try Int64.fetchOne(db, sql: "SELECT target FROM sla WHERE id = ?", arguments: [sla.meta.id])
        }
        #expect(stored == 99_950)
        #expect(try database.fetch(SLAFields.self, id: sla.meta.id)?.fields.target == ExactDecimal("99.95")!)
        let state = try database.reader.read { db in
            try String.fetchOne(db, sql: "SELECT state FROM change WHERE resourceId = ?", arguments: [sla.meta.id])
        }
        #expect(state?.contains(#""target":99.95"#) == true)
    }
}

@Suite struct SpendStoreTests {
    let database: AppDatabase
    let actor = Actor(id: "t1", name: "tester", role: "admin")
    let cityId: String
    let contract: Resource<ContractFields>

    init() throws {
        database = try AppDatabase.temporary()
        cityId = try database.create(CityFields(municipalityCode: "092", name: LocalizedName(fi: "Vantaa"), population: nil,
                                                itOrganisation: nil), cityId: nil, by: actor).meta.id
        let supplierId = try database.create(SupplierFields(name: "Oy Esimerkki Ab", businessId: "0112038-9", kind: .commercial),
                                             cityId: nil, by: actor).meta.id
        contract = try database.create(ContractFields(
            title: "Sopimus", supplierId: supplierId, category: .services, procedure: .open, procuredOn: nil, totalValueCents: 100,
            annualValueCents: nil, startDate: LocalDate("2020-01-01")!, initialEndDate: LocalDate("2026-12-31")!, renewal: .none,
            noticePeriodMonths: 0, managedBy: .central, serviceIds: []), cityId: cityId, by: actor)
    }

    /// Amounts beyond what the API takes (written behind its back) sum exactly: no SQLite "integer overflow", no wrap.
    @Test func spendNearInt64MaxSumsWithoutOverflow() throws {
        for year in 2020...2022 {
            _ = try database.write { db in
                try database.insert(ContractSpendFields(contractId: contract.meta.id, year: year, amountCents: .max, evidenceReference: "x"),
                                    cityId: cityId, by: actor, db: db)
            }
        }
        let standing = try #require(try database.spendStandings(cityId: cityId, contractId: contract.meta.id).first)
        #expect(standing.spendCents == .max)
        let warnings = try database.modificationWarnings([contract])
        #expect(warnings[contract.meta.id]?.map(\.code) == ["spend-exceeds-modification-limit"])
    }

    /// The year rule holds in the store, for every writer, and a refused year leaves nothing behind.
    @Test func storeRefusesYearsOutsideTheTermAndFuture() throws {
        let today = LocalDate("2026-11-23")!
        for year in [2019, 2027] {
            #expect(throws: StoreError.self) {
                try database.putSpend(ContractSpendFields(contractId: contract.meta.id, year: year, amountCents: 1, evidenceReference: "x"),
                                      cityId: cityId, conditions: WriteConditions(), today: today, by: actor)
            }
        }
        #expect(try database.spend(contractId: contract.meta.id, cityId: cityId) == [])
        let put = try database.putSpend(ContractSpendFields(contractId: contract.meta.id, year: 2020, amountCents: 1, evidenceReference: "x"),
                                        cityId: cityId, conditions: WriteConditions(ifNoneMatch: .any), today: today, by: actor)
        #expect(put.created)
        #expect(throws: PreconditionFailure(header: "If-None-Match", currentVersion: 1)) {
            try database.putSpend(ContractSpendFields(contractId: contract.meta.id, year: 2020, amountCents: 2, evidenceReference: "x"),
                                  cityId: cityId, conditions: WriteConditions(ifNoneMatch: .any), today: today, by: actor)
        }
        #expect(throws: PreconditionFailure(header: "If-Match", currentVersion: nil)) {
            try database.putSpend(ContractSpendFields(contractId: contract.meta.id, year: 2021, amountCents: 2, evidenceReference: "x"),
                                  cityId: cityId, conditions: WriteConditions(ifMatch: .any), today: today, by: actor)
        }
        try database.deleteSpend(contractId: contract.meta.id, year: 2020, cityId: cityId, conditions: WriteConditions(ifMatch: .any), by: actor)
        #expect(try database.spend(contractId: contract.meta.id, cityId: cityId) == [])
    }
}
