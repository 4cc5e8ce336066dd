import SalkkuCore
import SalkkuExchange
import SalkkuJSON
import SalkkuStore

/// One type of a city's records as CSV in the columns its import takes, so that export, an edit in a spreadsheet
/// and an import round-trip: references are written both by id and by the city's key (which imports prefer).
enum CSVExport {
    static let batchSize = 500

    /// Writes the header and then the records in id order, a batch at a time, through `emit`; `database` is the
    /// snapshot (or the view at a past record time) the whole file is read from. `cityId` nil: every city.
    static func write(_ format: ExchangeFormat, cityId: String?, dialect: CSVDialect, from database: AppDatabase,
                      emit: (String) throws -> Void) throws {
        let keys = try database.exchangeKeys(cityId: cityId)
        try emit(dialect.byteOrderMark + CSV.line(format.exportHeader, dialect: dialect))
        func rows<F: StoredResource>(_ type: F.Type, filters: [ListFilter] = []) throws {
            var afterId: String?
            repeat {
                let page = try database.list(F.self, ListQuery(cityId: cityId, filters: filters, afterId: afterId, limit: batchSize))
                var text = ""
                for record in page.items {
                    let row = format.exportRow(id: record.meta.id, fields: try JSONValue.of(record.fields), key: keys.key)
                    text += CSV.line(row, dialect: dialect)
                }
                if !text.isEmpty { try emit(text) }
                afterId = page.lastIdWhenMore
            } while afterId != nil
        }
        switch format.name {
        case ExchangeFormat.suppliers.name:
            try rows(SupplierFields.self, filters: try cityId.map { [.ids(try database.portfolioSupplierIds(cityId: $0))] } ?? [])
        case ExchangeFormat.services.name: try rows(ServiceFields.self)
        case ExchangeFormat.contracts.name: try rows(ContractFields.self)
        case ExchangeFormat.slas.name: try rows(SLAFields.self)
        case ExchangeFormat.projects.name: try rows(ProjectFields.self)
        case ExchangeFormat.measurements.name: try rows(MeasurementFields.self)
        case ExchangeFormat.capabilities.name: try rows(CapabilitySourcingFields.self)
        case ExchangeFormat.assessments.name: try rows(AssessmentFields.self)
        default: throw Problem.invalidParameter("type", "must be one of: \(ExchangeFormat.all.map(\.name).joined(separator: ", "))")
        }
    }
}
