import Foundation
import GRDB
import SalkkuCore
import Testing

@testable import SalkkuStore

@Suite struct WritePathTests {
    let database: AppDatabase
    let actor = Actor(id: "t1", name: "tester", role: "admin")

    init() throws {
        database = try AppDatabase.temporary()
    }

    func makeCity(_ code: String = "092") throws -> Resource<CityFields> {
        try database.create(CityFields(municipalityCode: code, name: LocalizedName(fi: "Vantaa", sv: "Vanda"),
                                       population: 250_000, itOrganisation: "Tietohallinto"),
                            cityId: nil, by: actor)
    }

    func makeSupplier(_ businessId: String = "0112038-9") throws -> Resource<SupplierFields> {
        try database.create(SupplierFields(name: "Oy Esimerkki Ab", businessId: businessId, kind: .commercial,
                                           contact: SupplierContact(email: "myynti@example.fi")),
                            cityId: nil, by: actor)
    }

    func changes() throws -> [Row] {
        try database.reader.read { db in try Row.fetchAll(db, sql: "SELECT * FROM change ORDER BY seq") }
    }

    @Test func migrationsCreateTheSchemaOnAnEmptyFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("salkku-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let onDisk = try AppDatabase.open(path: path)
        let tables = try onDisk.reader.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(Set(tables).isSuperset(of: ["city", "supplier", "service", "change", "grdb_migrations"]))
        let mode = try onDisk.reader.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let foreignKeys = try onDisk.reader.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(foreignKeys == 1)
        // Opening again runs no migration twice.
        _ = try AppDatabase.open(path: path)
    }

    @Test func createStoresVersionOneAndRecordsTheFullState() throws {
        let city = try makeCity()
        #expect(city.meta.version == 1)
        #expect(city.meta.createdAt == city.meta.updatedAt)
        let fetched = try database.fetch(CityFields.self, id: city.meta.id)
        #expect(fetched == city)
        let rows = try changes()
        #expect(rows.count == 1)
        #expect(rows[0]["action"] == "create")
        #expect(rows[0]["resourceType"] == "city")
        #expect(rows[0]["cityId"] == city.meta.id)
        #expect(rows[0]["actorName"] == "tester")
        let state = try JSONDecoder().decode(Resource<CityFields>.self, from: Data((rows[0]["state"] as String).utf8))
        #expect(state == city)
    }

    @Test func updateBumpsVersionAndAppendsAChange() throws {
        let city = try makeCity()
        let updated = try database.update(CityFields.self, id: city.meta.id, cityId: nil, by: actor) { current in
            var fields = current.fields
            fields.population = 251_000
            return fields
        }
        #expect(updated.meta.version == 2)
        #expect(updated.meta.updatedAt >= city.meta.updatedAt)
        #expect(updated.meta.createdAt == city.meta.createdAt)
        let rows = try changes()
        #expect(rows.map { $0["action"] as String } == ["create", "update"])
        #expect(rows[1]["version"] == 2)
    }

    @Test func anUpdateThatChangesNothingWritesNothing() throws {
        let city = try makeCity()
        let same = try database.update(CityFields.self, id: city.meta.id, cityId: nil, by: actor) { $0.fields }
        #expect(same.meta.version == 1)
        #expect(try changes().count == 1)
    }

    @Test func staleExpectedVersionIsRefusedAndChangesNothing() throws {
        let city = try makeCity()
        #expect(throws: StoreError.versionMismatch(current: 1)) {
            try database.update(CityFields.self, id: city.meta.id, cityId: nil, acceptedVersions: [7], by: actor) { $0.fields }
        }
        #expect(throws: StoreError.versionMismatch(current: 1)) {
            try database.delete(CityFields.self, id: city.meta.id, cityId: nil, acceptedVersions: [2], by: actor)
        }
        #expect(try changes().count == 1)
    }

    @Test func deleteLeavesATombstone() throws {
        let supplier = try makeSupplier()
        try database.delete(SupplierFields.self, id: supplier.meta.id, cityId: nil, by: actor)
        #expect(try database.fetch(SupplierFields.self, id: supplier.meta.id) == nil)
        let rows = try changes()
        #expect(rows.last?["action"] == "delete")
        #expect(rows.last?["version"] == 2)
        #expect((rows.last?["state"] as DatabaseValue?)?.isNull == true)
    }

    @Test func uniqueValuesConflict() throws {
        _ = try makeCity("092")
        #expect(throws: StoreError.self) { try makeCity("092") }
        _ = try makeSupplier()
        #expect(throws: StoreError.self) { try makeSupplier() }
        #expect(try changes().count == 2)
    }

    @Test func referencedRecordsCannotBeDeleted() throws {
        let city = try makeCity()
        let supplier = try makeSupplier()
        let service = try database.create(
            ServiceFields(name: "Asianhallinta", sector: .administration, owner: Owner(name: "Maija Meikäläinen"),
                          lifecycle: .active, providerId: supplier.meta.id, annualCostCents: 12_000_000, criticality: .high),
            cityId: city.meta.id, by: actor)
        #expect(service.meta.cityId == city.meta.id)
        do {
            try database.delete(SupplierFields.self, id: supplier.meta.id, cityId: nil, by: actor)
            Issue.record("deleted a supplier that provides a service")
        } catch StoreError.conflict(let detail) {
            #expect(detail.contains(service.meta.id))
        }
        #expect(throws: StoreError.self) { try database.delete(CityFields.self, id: city.meta.id, cityId: nil, by: actor) }
        // Under another city the service is not found at all.
        #expect(try database.fetch(ServiceFields.self, id: service.meta.id, cityId: "other") == nil)
    }

    @Test func unknownProviderIsAFieldError() throws {
        let city = try makeCity()
        #expect(throws: StoreError.invalid([FieldError(pointer: "/providerId", "no supplier has id nope")])) {
            try database.create(
                ServiceFields(name: "X", sector: .administration, owner: Owner(name: "A"), lifecycle: .active,
                              providerId: "nope", annualCostCents: nil, criticality: .low),
                cityId: city.meta.id, by: actor)
        }
    }

    @Test(arguments: [
        "INSERT INTO supplier VALUES ('s', 1, 'a', 'a', 'X', '1234567-8', 'friend', NULL)",
        "INSERT INTO supplier VALUES ('s', 1, 'a', 'a', ' ', '1234567-8', 'commercial', NULL)",
        "INSERT INTO supplier VALUES ('s', 1, 'a', 'a', 'X', '12345678', 'commercial', NULL)",
        "INSERT INTO city VALUES ('c', 1, 'a', 'a', '91', '{\"fi\":\"X\"}', NULL, NULL)",
        "INSERT INTO city VALUES ('c', 0, 'a', 'a', '091', '{\"fi\":\"X\"}', NULL, NULL)",
        "INSERT INTO city VALUES ('c', 1, 'a', 'a', '091', '{\"fi\":\"X\"}', -1, NULL)",
        "INSERT INTO change (at, actorName, actorRole, action, resourceType, resourceId, version, state) VALUES ('a','x','y','delete','city','c',2,'{}')",
    ])
    func constraintsRejectBadRows(sql: String) throws {
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in try db.execute(sql: sql) }
        }
    }

    @Test func idsIncreaseWithCreation() {
        let generator = IDGenerator()
        let ids = (0..<1000).map { _ in generator.next() }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 36 && Array($0)[14] == "7" && UUID(uuidString: $0)?.uuidString.lowercased() == $0 })
    }

    @Test func deterministicIdsCountAtTheirInstant() {
        let generator = IDGenerator(deterministicAt: 0x019b_76da_a801)
        #expect(generator.next() == "019b76da-a801-7000-8000-000000000000")
        #expect(generator.next() == "019b76da-a801-7000-8000-000100000000")
    }
}
