import Foundation
import GRDB
import SalkkuCore
import SalkkuDemo
import Testing

@testable import SalkkuStore

/// Creating many records at once prepares them on another thread; what it stores must be exactly what
/// creating them one by one stores, down to the hashes of the audit chain.
@Suite struct BulkWriteTests {
    let actor = Actor(id: "t1", name: "tester", role: "admin")

    /// Same instant and same ids every time, so that two databases written alike hold the same bytes.
    func deterministicDatabase() throws -> AppDatabase {
        let instant = Timestamp(Date(timeIntervalSince1970: 1_790_000_000))
        return try AppDatabase.temporary(clock: { instant }).with(ids: IDGenerator(deterministicAt: 1_790_000_000_000))
    }

    func service(_ index: Int, externalId: String? = nil) -> ServiceFields {
        ServiceFields(name: "Palvelu \(index)", sector: Sector.allCases[index % Sector.allCases.count], owner: Owner(name: "Omistaja"),
                      lifecycle: .plan, providerId: nil, annualCostCents: Int64(index) * 1_000,
                      criticality: Criticality.allCases[index % 4], externalId: externalId ?? "PAL-\(index)")
    }

    func city(_ database: AppDatabase) throws -> Resource<CityFields> {
        try database.create(CityFields(municipalityCode: "092", name: LocalizedName(fi: "Vantaa", sv: "Vanda"), population: 250_000,
                                       itOrganisation: nil), cityId: nil, by: actor)
    }

    func rows(_ database: AppDatabase, _ sql: String) throws -> [Row] {
        try database.reader.read { db in try Row.fetchAll(db, sql: sql) }
    }

    @Test func creatingManyAtOnceStoresWhatCreatingOneByOneStores() throws {
        // More than two slices of the pipeline, and a last slice that is not full.
        let fields = (0..<1_300).map { service($0) }
        let bulk = try deterministicDatabase()
        let bulkCity = try city(bulk)
        let created = try bulk.writer.write { db in try bulk.insertAll(fields, cityId: bulkCity.meta.id, by: actor, db: db) }
        let oneByOne = try deterministicDatabase()
        let oneByOneCity = try city(oneByOne)
        try oneByOne.writer.write { db in
            for item in fields { _ = try oneByOne.insert(item, cityId: oneByOneCity.meta.id, by: actor, db: db) }
        }

        #expect(created.map(\.fields) == fields)
        #expect(try created.allSatisfy { try bulk.fetch(ServiceFields.self, id: $0.meta.id, cityId: bulkCity.meta.id) == $0 })
        #expect(try rows(bulk, "SELECT * FROM service ORDER BY id") == rows(oneByOne, "SELECT * FROM service ORDER BY id"))
        let bulkChanges = try rows(bulk, "SELECT * FROM change ORDER BY seq")
        #expect(bulkChanges.count == 1_301)
        #expect(bulkChanges == (try rows(oneByOne, "SELECT * FROM change ORDER BY seq")))
        #expect(try bulk.verifyAuditChain().verified)
    }

    @Test func aRefusedRecordRefusesTheWholeBatchAndLeavesNothing() throws {
        let database = try deterministicDatabase()
        let vantaa = try city(database)
        // The repeated external id is only a conflict with a record of the same batch, written a slice earlier.
        var fields = (0..<700).map { service($0) }
        fields[650] = service(650, externalId: "PAL-3")
        #expect(throws: StoreError.self) {
            try database.writer.write { db in try database.insertAll(fields, cityId: vantaa.meta.id, by: actor, db: db) }
        }
        #expect(try rows(database, "SELECT id FROM service").isEmpty)
        #expect(try rows(database, "SELECT seq FROM change").count == 1)

        // A city that does not exist is refused by the database itself, at the first row.
        #expect(throws: (any Error).self) {
            try database.writer.write { db in try database.insertAll(Array(fields.prefix(600)), cityId: "no-such-city", by: actor, db: db) }
        }
        #expect(try rows(database, "SELECT id FROM service").isEmpty)
        #expect(try database.verifyAuditChain() == ChainVerification(verified: true, entries: 1, firstBrokenSeq: nil, reason: nil,
                                                                     lastHash: try rows(database, "SELECT hash FROM change")[0]["hash"]))
    }

    @Test func theNationalDataSetIsDeterministicAndItsChainVerifies() throws {
        let sizes = NationalData.Sizes(cities: 3, servicesPerCity: 20, contractsPerCity: 6, slasPerCity: 12, months: 7)
        let first = try deterministicDatabase()
        try NationalData.generate(into: first, sizes: sizes, seed: 7)
        let second = try deterministicDatabase()
        try NationalData.generate(into: second, sizes: sizes, seed: 7)

        let counts = try rows(first, """
            SELECT (SELECT count(*) FROM city) AS cities, (SELECT count(*) FROM service) AS services,
                   (SELECT count(*) FROM contract) AS contracts, (SELECT count(*) FROM sla) AS slas,
                   (SELECT count(*) FROM measurement) AS measurements
            """)[0]
        #expect(counts["cities"] == 3)
        #expect(counts["services"] == 60)
        #expect(counts["contracts"] == 18)
        #expect(counts["slas"] == 36)
        // Seven periods for each monthly SLA, two or three for each quarterly one, less the few left out on purpose.
        #expect((180...230).contains(counts["measurements"] as Int))
        #expect(try first.verifyAuditChain().verified)
        #expect(try rows(first, "SELECT seq, hash FROM change ORDER BY seq") == rows(second, "SELECT seq, hash FROM change ORDER BY seq"))
    }
}
