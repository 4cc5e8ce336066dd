import SalkkuCore
import SalkkuJSON
import Testing

@testable import SalkkuExchange

@Suite struct CSVTableTests {
    func table(_ text: String) throws -> CSVTable { try CSVTable.read(Array(text.utf8)) }

    @Test func readsCommasQuotesAndLineBreaksInsideQuotedFields() throws {
        let table = try table("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"line1\nline2\"\r\n1,2,3\r\n")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.rows.map(\.cells) == [["x, y", "say \"hi\"", "line1\nline2"], ["1", "2", "3"]])
        #expect(table.rows.map(\.number) == [2, 3])
        #expect(table.separator == ",")
    }

    @Test func detectsSemicolonsFromTheHeaderAndDropsTheByteOrderMark() throws {
        let table = try CSVTable.read([0xEF, 0xBB, 0xBF] + Array("nimi;arvo,desimaali;pvm\n\"A;B\";99,5;1.2.2025\n".utf8))
        #expect(table.separator == ";")
        #expect(table.header == ["nimi", "arvo,desimaali", "pvm"])
        #expect(table.rows.map(\.cells) == [["A;B", "99,5", "1.2.2025"]])
    }

    @Test func skipsRowsOfEmptyCellsAndReportsRaggedRows() throws {
        let table = try table("a,b\n1,2\n,\n\n1,2,3\n4\n")
        #expect(table.rows.map(\.cells) == [["1", "2"]])
        #expect(table.raggedRows.map(\.row) == [5, 6])
        #expect(table.raggedRows[0].detail == "has 3 cells where the header has 2")
        #expect(table.raggedRows.map(\.column) == [nil, "b"])
    }

    @Test func refusesWhatItWouldHaveToGuess() {
        #expect(throws: CSVTable.ReadError.self) { try table("a,b\n\"x\"y,1\n") }
        do {
            _ = try CSVTable.read(Array("a,b\n1,2\n\"open,3\n4,5\n".utf8))
            Issue.record("an unclosed quote was read")
        } catch {
            #expect(error.row == 3)
            #expect(error.detail.contains("never closed"))
        }
        do {
            _ = try CSVTable.read(Array("a,b\n1,2\n".utf8) + [0x4D, 0xE4, 0x2C, 0x31, 0x0A])
            Issue.record("Latin-1 was read")
        } catch {
            #expect(error.row == 3)
            #expect(error.detail.contains("UTF-8"))
        }
        #expect(throws: CSVTable.ReadError.self) { try CSVTable.read([0xFF, 0xFE, 0x61, 0x00]) }
        #expect(throws: CSVTable.ReadError.self) { try table("") }
    }

    @Test func takesOffTheApostropheThatNeutralisedAFormula() {
        #expect(CSVTable.unneutralised("'=HYPERLINK(1)") == "=HYPERLINK(1)")
        #expect(CSVTable.unneutralised("'+358 9 1") == "+358 9 1")
        #expect(CSVTable.unneutralised("'quoted'") == "'quoted'")
        #expect(CSV.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSV.field("-0.5") == "-0.5")
        #expect(CSV.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSV.field("\tx") == "'\tx")
        #expect(CSV.field("99.5", dialect: .excelFi) == "99,5")
        #expect(CSV.line(["a;b", "1.25"], dialect: .excelFi) == "\"a;b\";1,25\r\n")
    }
}

@Suite struct CellTests {
    @Test func datesInIsoAndFinnishForm() throws {
        #expect(try Cells.value("2025-03-01", kind: .date) == .string("2025-03-01"))
        #expect(try Cells.value("1.3.2025", kind: .date) == .string("2025-03-01"))
        #expect(try Cells.value("01.03.2025", kind: .date) == .string("2025-03-01"))
        for bad in ["31.2.2025", "1.3.25", "2025/03/01", "1.3.2025.", "maaliskuu"] {
            #expect(throws: Cells.Refusal.self, "\(bad)") { try Cells.value(bad, kind: .date) }
        }
    }

    @Test func numbersWithDecimalCommaOrPoint() throws {
        #expect(try Cells.value("99,5", kind: .number) == .real(99.5))
        #expect(try Cells.value("99.5", kind: .number) == .real(99.5))
        #expect(try Cells.value("12", kind: .number) == .integer(12))
        #expect(try Cells.value("-3", kind: .number) == .integer(-3))
        #expect(try Cells.value("1 000", kind: .number) == .integer(1000))
        for bad in ["", "1,2,3", "1e5", "abc", "1.", ".5", "99999999999999999999", "99.1234", "100.00000000000000001", "1234567890123456"] {
            #expect(throws: Cells.Refusal.self, "\(bad)") { try Cells.value(bad, kind: .number) }
        }
    }

    @Test func moneyInEurosOrCents() throws {
        #expect(try Cells.euros("12 345,50") == .integer(1_234_550))
        #expect(try Cells.euros("12345.5") == .integer(1_234_550))
        #expect(try Cells.euros("7") == .integer(700))
        #expect(try Cells.euros("1\u{00A0}000,00") == .integer(100_000))
        for bad in ["1,234", "-5", "12,", "abc", "99999999999999999", "10000000001"] {
            #expect(throws: Cells.Refusal.self, "\(bad)") { try Cells.euros(bad) }
        }
        #expect(try Cells.value("1 234 550", kind: .cents) == .integer(1_234_550))
        #expect(throws: Cells.Refusal.self) { try Cells.value("12,50", kind: .cents) }
    }

    @Test func optionsListsAndBooleans() throws {
        let options = try Cells.value("12*+12", kind: .options)
        #expect(options == .array([.object(["months": .integer(12), "exercised": .bool(true)]),
                                   .object(["months": .integer(12), "exercised": .bool(false)])]))
        #expect(Cells.cell(options, kind: .options) == "12*+12")
        #expect(throws: Cells.Refusal.self) { try Cells.value("12++12", kind: .options) }
        #expect(throws: Cells.Refusal.self) { try Cells.value("vuosi", kind: .options) }
        #expect(try Cells.value("a | b|", kind: .list) == .array([.string("a"), .string("b")]))
        #expect(try Cells.value("TOSI", kind: .boolean) == .bool(true))
        #expect(throws: Cells.Refusal.self) { try Cells.value("kyllä", kind: .boolean) }
    }
}

@Suite struct ExchangeFormatTests {
    /// Every stored member of every importable type is a column: the example sets each one, so a field added to a
    /// fields type without a value in its example fails here rather than silently missing from files.
    @Test func everyMemberOfEveryTypeIsAColumn() throws {
        for format in ExchangeFormat.all {
            let names = Set(format.columns.map { $0.path[0] })
            #expect(!format.columns.isEmpty)
            #expect(Set(format.columns.map(\.name)).count == format.columns.count, "\(format.name) repeats a column")
            for key in format.naturalKey { #expect(names.contains(key), "\(format.name) lacks its key \(key)") }
            for reference in format.references {
                #expect(names.contains(reference.member) && names.contains(reference.keyColumn), "\(format.name): \(reference.member)")
            }
        }
        let contract = ExchangeFormat.contracts
        for member in Mirror(reflecting: ContractFields(
            title: "", supplierId: "", category: .services, procedure: .open, procuredOn: nil, totalValueCents: 0, annualValueCents: nil,
            startDate: LocalDate("2025-01-01")!, initialEndDate: LocalDate("2025-01-01")!, renewal: .none, noticePeriodMonths: 0,
            managedBy: .central)).children.compactMap(\.label) {
            #expect(contract.columns.contains { $0.path[0] == member }, "contracts lack \(member)")
        }
        #expect(contract.columns.first { $0.name == "options" }?.kind == .options)
        #expect(contract.columns.first { $0.name == "startDate" }?.kind == .date)
        #expect(contract.columns.first { $0.name == "totalValueCents" }?.kind == .cents)
        #expect(ExchangeFormat.services.columns.first { $0.name == "owner.name" }?.path == ["owner", "name"])
    }

    /// A supplier's owners, VAT number and foreign registry id are columns; owners read as `code:share|…`.
    @Test func suppliersCarryOwnersAndForeignIdentifiers() throws {
        let suppliers = ExchangeFormat.suppliers
        for member in ["owners", "vatNumber", "foreignRegistryId", "country", "ownerCityId", "businessId"] {
            #expect(suppliers.columns.contains { $0.path[0] == member }, "suppliers lack \(member)")
        }
        #expect(suppliers.columns.first { $0.name == "owners" }?.kind == .owners)
        let table = try CSVTable.read(Array("name;kind;businessId;owners\nKuntaäly Oy;in-house-company;2345000-4;091:51,5|city-1:20\n".utf8))
        let (rows, errors) = suppliers.rows(of: table)
        #expect(errors.isEmpty)
        let owners = try #require(rows.first?.patch["owners"])
        #expect(owners == .array([
            .object(["municipalityCode": .string("091"), "sharePercent": .real(51.5)]),
            .object(["cityId": .string("city-1"), "sharePercent": .integer(20)]),
        ]))
        #expect(Cells.cell(owners, kind: .owners) == "091:51.5|city-1:20")
        #expect(throws: Cells.Refusal.self) { try Cells.value("091", kind: .owners) }
    }

    @Test func rowsBecomePatchesAndErrorsNameTheirColumns() throws {
        let table = try CSVTable.read(Array("title;totalValue;startDate;options;supplierBusinessId;owner\nA;1 200,50;1.2.2025;12+6*;0112038-9;x\n".utf8))
        let (_, headerErrors) = ExchangeFormat.contracts.rows(of: table)
        #expect(headerErrors.map(\.column) == ["owner"])
        let good = try CSVTable.read(Array("title;totalValue;startDate;options;supplierBusinessId;renewalPeriodMonths\nA;1 200,50;1.2.2025;12+6*;0112038-9;\n".utf8))
        let (rows, errors) = ExchangeFormat.contracts.rows(of: good)
        #expect(errors.isEmpty)
        let row = try #require(rows.first)
        #expect(row.patch["totalValueCents"] == .integer(120_050))
        #expect(row.patch["startDate"] == .string("2025-02-01"))
        #expect(row.patch["renewalPeriodMonths"] == .null)
        #expect(row.keys["supplierId"] == .string("0112038-9"))
        #expect(ExchangeFormat.contracts.column(of: "/totalValueCents", in: row) == "totalValue")
        #expect(ExchangeFormat.contracts.column(of: "/supplierId", in: row) == "supplierBusinessId")
        #expect(ExchangeFormat.contracts.column(of: "/options/1/months", in: row) == "options")
        #expect(ExchangeFormat.services.column(of: "/owner/email", in: row) == "owner.email")
    }

    /// Keys are set apart; read-only members stay, for the fields' reader to refuse as the API does.
    @Test func ndjsonLinesAreObjectsWithKeysSetApart() {
        let text = "{\"id\":\"x\",\"version\":3,\"title\":\"A\",\"supplierBusinessId\":\"0112038-9\"}\n\n[1]\n{bad\n"
        let (rows, errors) = ExchangeFormat.contracts.rows(ofNDJSON: Array(text.utf8))
        #expect(rows.count == 1)
        #expect(rows[0].id == "x")
        #expect(rows[0].patch == ["title": .string("A"), "version": .integer(3)])
        #expect(rows[0].keys == ["supplierId": .string("0112038-9")])
        #expect(errors.map(\.row) == [3, 4])
    }
}
