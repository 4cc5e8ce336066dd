import Foundation
import GRDB
import SalkkuCore
import SalkkuDemo
import Synchronization
import Testing

@testable import SalkkuStore

/// Every record is read by the one row decoder, derived from its fields' `Decodable` conformance.
@Suite struct RowReadingTests {
    /// Each record read from its row equals the record as the write path logged it (the change log's last state).
    func expectRowsReadAsWritten<F: StoredResource>(_ type: F.Type, in database: AppDatabase) throws -> Int {
        // A bound argument too: the prepared request's arguments must survive into the statement.
        let request = Resource<F>.filter(Column("id") > "0").order(Column("id"))
        let (records, states) = try database.reader.read { db in
            (try db.fetchResources(request),
             try Row.fetchAll(db, sql: """
                SELECT resourceId, state FROM change WHERE resourceType = ? AND seq IN (SELECT max(seq) FROM change GROUP BY resourceType, resourceId)
                """, arguments: [F.resourceType]))
        }
        let logged = try Dictionary(uniqueKeysWithValues: states.compactMap { row -> (String, Resource<F>)? in
            guard let state: String = row["state"] else { return nil }
            return (row["resourceId"], try JSONValue.decode(Resource<F>.self, from: Array(state.utf8)))
        })
        for record in records {
            #expect(logged[record.meta.id] == record, "\(F.resourceType) \(record.meta.id)")
        }
        return records.count
    }

    @Test func everyKindOfRecordReadsAsItWasWritten() throws {
        let database = try AppDatabase.temporary()
        try DemoData.seedIfEmpty(database)
        var counts: [String: Int] = [:]
        counts["city"] = try expectRowsReadAsWritten(CityFields.self, in: database)
        counts["supplier"] = try expectRowsReadAsWritten(SupplierFields.self, in: database)
        counts["service"] = try expectRowsReadAsWritten(ServiceFields.self, in: database)
        counts["contract"] = try expectRowsReadAsWritten(ContractFields.self, in: database)
        counts["sla"] = try expectRowsReadAsWritten(SLAFields.self, in: database)
        counts["measurement"] = try expectRowsReadAsWritten(MeasurementFields.self, in: database)
        counts["project"] = try expectRowsReadAsWritten(ProjectFields.self, in: database)
        counts["capability-sourcing"] = try expectRowsReadAsWritten(CapabilitySourcingFields.self, in: database)
        counts["effort-profile"] = try expectRowsReadAsWritten(EffortProfileFields.self, in: database)
        counts["governance-facts"] = try expectRowsReadAsWritten(GovernanceFactsFields.self, in: database)
        counts["assessment"] = try expectRowsReadAsWritten(AssessmentFields.self, in: database)
        counts["maturity-snapshot"] = try expectRowsReadAsWritten(MaturitySnapshotFields.self, in: database)
        counts["token"] = try expectRowsReadAsWritten(TokenFields.self, in: database)
        counts["contract-spend"] = try expectRowsReadAsWritten(ContractSpendFields.self, in: database)
        // The model's first version is written by its migration, not through the change log the comparison reads.
        counts["maturity-model"] = try database.reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM maturity_model") ?? 0 }
        counts["transition-plan"] = try expectRowsReadAsWritten(TransitionPlanFields.self, in: database)
        counts["caf-assessment"] = try expectRowsReadAsWritten(CAFAssessmentFields.self, in: database)
        #expect(Set(counts.keys) == Set(ResourceRegistry.all.map(\.resourceType)), "every kind of the registry is compared")
        for (type, count) in counts where !["maturity-snapshot", "token"].contains(type) {
            #expect(count > 0, "the demo has \(type) records to compare")
        }
    }

    /// A reader written by hand asks for every column of its table: a column added by a migration and not
    /// read would otherwise be dropped on every read.
    func expectHandReaderReadsEveryColumn<F: StoredResource>(_ type: F.Type, in database: AppDatabase) throws {
        let read = try #require(F.rowReader)
        let (asked, columns) = try database.reader.read { db in
            let statement = try db.makeStatement(sql: "SELECT * FROM \(F.databaseTableName) LIMIT 1")
            var asked: [String] = []
            try db.eachRow(statement) { row in
                _ = try ResourceMeta(row, cityOwned: F.isCityOwned)
                _ = try read(row)
                asked = Array(row.columnsAskedFor)
            }
            return (asked, try db.columns(in: F.databaseTableName).map(\.name))
        }
        #expect(Set(asked) == Set(columns), "\(F.resourceType): the reader misses \(Set(columns).subtracting(asked).sorted())")
    }

    /// The same records, read by the hand-written readers and by the derived decoder.
    func expectHandReaderReadsAsTheDecoder<F: StoredResource>(_ type: F.Type, in database: AppDatabase) throws {
        let read = try #require(F.rowReader)
        let (byHand, derived) = try database.reader.read { db in
            let statement = try db.makeStatement(sql: "SELECT * FROM \(F.databaseTableName) ORDER BY id")
            var byHand: [Resource<F>] = [], derived: [Resource<F>] = []
            try db.eachRow(statement) { row in
                byHand.append(Resource(meta: try ResourceMeta(row, cityOwned: F.isCityOwned), fields: try read(row)))
            }
            try db.eachRow(statement) { row in derived.append(try Resource<F>(from: RowDecoder(columns: row))) }
            return (byHand, derived)
        }
        #expect(byHand.count > 3, "the demo has \(F.resourceType) records to compare")
        #expect(byHand == derived)
    }

    @Test func handReadersReadEveryColumnAsTheDerivedDecoderDoes() throws {
        let database = try AppDatabase.temporary()
        try DemoData.seedIfEmpty(database)
        try expectHandReaderReadsEveryColumn(ContractFields.self, in: database)
        try expectHandReaderReadsEveryColumn(SLAFields.self, in: database)
        try expectHandReaderReadsEveryColumn(SupplierFields.self, in: database)
        try expectHandReaderReadsAsTheDecoder(ContractFields.self, in: database)
        try expectHandReaderReadsAsTheDecoder(SLAFields.self, in: database)
        try expectHandReaderReadsAsTheDecoder(SupplierFields.self, in: database)
    }

    @Test func identifierListsWithoutEscapesAreReadDirectly() {
        #expect(StatementColumns.plainStringArray(#"["a","bc"]"#) == ["a", "bc"])
        #expect(StatementColumns.plainStringArray(#"[""]"#) == [""])
        #expect(StatementColumns.plainStringArray(#"["a"]"#) == ["a"])
        // Anything else goes to the JSON decoder.
        #expect(StatementColumns.plainStringArray(#"["a\"b"]"#) == nil)
        #expect(StatementColumns.plainStringArray(#"["a", "b"]"#) == nil)
        #expect(StatementColumns.plainStringArray(#"["a",]"#) == nil)
        #expect(StatementColumns.plainStringArray(#"["a""b"]"#) == nil)
        #expect(StatementColumns.plainStringArray("[1]") == nil)
        #expect(StatementColumns.plainStringArray("[]") == nil)
    }

    @Test func aCorruptedValueIsAnErrorNotACrash() throws {
        let database = try AppDatabase.temporary()
        try DemoData.seedIfEmpty(database)
        let id = try database.reader.read { db in try String.fetchOne(db, sql: "SELECT id FROM contract LIMIT 1") }!
        for (column, value) in [("category", "'no-such-category'"), ("options", "'[{\"months\": \"x\"}]'"), ("startDate", "'2026-13-01'"),
                                ("totalValueCents", "'many'"), ("version", "'x'")] {
            try database.writer.write { db in
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                try db.execute(sql: "SAVEPOINT corrupt")
                try db.execute(sql: "UPDATE contract SET \(column) = \(value) WHERE id = ?", arguments: [id])
                #expect(throws: StoredValueError.self, "\(column)") { try database.fetch(ContractFields.self, id: id, cityId: nil, db: db) }
                try db.execute(sql: "ROLLBACK TO corrupt")
                try db.execute(sql: "RELEASE corrupt")
            }
        }
    }

    @Test func jsonColumnsInAnotherFormAreReadOrRefused() throws {
        let database = try AppDatabase.temporary()
        func read(_ text: String) throws -> [ContractOption] {
            try database.reader.read { db in
                let statement = try db.makeStatement(sql: "SELECT ? AS options")
                var options: [ContractOption] = []
                try db.eachRow(statement, arguments: [text]) { columns in options = try columns.decoded("options") }
                return options
            }
        }
        #expect(try read(#"[{"exercised":true,"months":12}]"#) == [ContractOption(months: 12, exercised: true)])
        #expect(try read(#"[ {"months": 12, "exercised": false} ]"#) == [ContractOption(months: 12, exercised: false)])
        #expect(try read("[]") == [])
        #expect(throws: StoredValueError.self) { try read(#"[{"months":3}]"#) }
        #expect(throws: StoredValueError.self) { try read(#"{"months":3,"exercised":true}"#) }
        #expect(throws: StoredValueError.self) { try read(#"[{"months":"x","exercised":true}]"#) }
        #expect(throws: StoredValueError.self) { try read("[") }
    }

    @Test func columnsAreFoundWhenRowsDifferInWhichAreNull() throws {
        let database = try AppDatabase.temporary()
        let read = try database.reader.read { db in
            let statement = try db.makeStatement(sql: """
                SELECT 'a' AS x, NULL AS y, 1 AS z UNION ALL SELECT 'b', 'c', 2 UNION ALL SELECT 'd', NULL, NULL UNION ALL SELECT 'e', 'f', 4
                """)
            let rows = try Row.fetchCursor(statement)
            let columns = StatementColumns(statement)
            var read: [String] = []
            while try rows.next() != nil {
                columns.startRow()
                read.append("\(try columns.optionalString("y") ?? "-") \(try columns.string("x")) \(try columns.optionalInt("z").map(String.init) ?? "-")")
            }
            return read
        }
        #expect(read == ["- a 1", "c b 2", "- d -", "f e 4"])
    }

    @Test func supplierKindsAreTheSuppliersKinds() throws {
        let database = try AppDatabase.temporary()
        try DemoData.seedIfEmpty(database)
        let ids = try database.allIds(SupplierFields.self)
        let suppliers = try database.byId(SupplierFields.self, ids: ids)
        #expect(suppliers.count == ids.count)
        #expect(try database.supplierKinds(ids: ids + ["no-such-supplier"]) == suppliers.mapValues(\.fields.kind))
    }

    @Test func readsTogetherSeeOneStateOfTheDatabase() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("salkku-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try AppDatabase.open(path: path)
        let actor = Actor(id: "t1", name: "tester", role: "admin")
        @Sendable func addCity(_ code: String) throws {
            _ = try database.create(CityFields(municipalityCode: code, name: LocalizedName(fi: "Kaupunki \(code)", sv: nil),
                                               population: 1000, itOrganisation: nil), cityId: nil, by: actor)
        }
        try addCity("091")
        let (before, after) = try database.readTogether {
            let before = try database.allIds(CityFields.self).count
            // Written from another thread while the read is open, so not seen by it.
            let written = DispatchSemaphore(value: 0)
            let outcome = WriteOutcome()
            Thread {
                outcome.result.withLock { $0 = Result { try addCity("092") } }
                written.signal()
            }.start()
            written.wait()
            try outcome.result.withLock { try $0?.get() }
            return (before, try database.list(CityFields.self, ListQuery(limit: 10)).items.count)
        }
        #expect(before == 1)
        #expect(after == 1)
        #expect(try database.allIds(CityFields.self).count == 2)
    }
}

private final class WriteOutcome: Sendable {
    let result = Mutex<Result<Void, any Error>?>(nil)
}
