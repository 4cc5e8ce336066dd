import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuJSON
import SalkkuStore

/// Process assessments (immutable) and the process profile they add up to.
struct AssessmentsController: Sendable {
    let database: AppDatabase

    func register(on router: Router<AppRequestContext>) {
        router.post("/v1/cities/{cityId}/assessments", use: create)
        router.get("/v1/cities/{cityId}/assessments", use: list)
        router.get("/v1/cities/{cityId}/assessments/{assessmentId}", use: get)
        router.get("/v1/cities/{cityId}/process-profile", use: profile)
        router.get("/v1/cities/{cityId}/assessments/{assessmentId}/history", use: history)
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        try QueryReader(request).finish()
        return try HistoryBody.response(database, type: AssessmentFields.resourceType, id: try context.parameters.require("assessmentId"),
                                        cityId: cityId)
    }

    static func present(_ record: Resource<AssessmentFields>) -> Evaluated<AssessmentFields, ReachedLevel> {
        Evaluated(record: record, computed: ReachedLevel(reachedLevel: record.fields.reachedLevel))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors(today: database.today)
        guard let fields = AssessmentFields.read(body, errors: errors), errors.isEmpty else { throw errors.failure }
        try fields.checkFactDates(today: database.today)
        let record = try database.create(fields, cityId: cityId, by: context.actor)
        return try .json(Self.present(record), status: .created, headers: [
            .location: "\(request.uri.path)/\(record.meta.id)", .eTag: ETag.for(version: record.meta.version),
        ])
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var query = QueryReader(request)
        let page = PageRequest(&query)
        let clocks = query.clocks(database)
        var filters: [ListFilter] = []
        var given: [(String, String)] = clocks.cursorBinding
        if let processId = query.naming("processId") {
            filters.append(.equals(column: "processId", value: processId))
            given.append(("processId", processId))
        }
        try query.finish()
        return try page.response(AssessmentFields.self, request: request, from: try clocks.database(database),
                                 cityId: cityId, filters: filters, given: given, present: Self.present)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        let id = try context.parameters.require("assessmentId")
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        guard let record = try clocks.database(database).fetch(AssessmentFields.self, id: id, cityId: cityId) else {
            throw Problem.notFound("no assessment has id \(id)")
        }
        return try .item(Self.present(record), version: record.meta.version, request: request)
    }

    struct ProfileBody: Encodable {
        var cityId: String
        var on: LocalDate
        var asOf: Timestamp
        var items: [ProcessStanding]
        var focusAreas: [FocusAreaLevel]
    }

    @Sendable func profile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        let date = clocks.on
        try query.finish()
        let past = try clocks.database(database)
        let standings = ProcessStanding.profile(try past.all(AssessmentFields.self, cityId: cityId), on: date)
        let byProcess = Dictionary(uniqueKeysWithValues: standings.map { ($0.processId, $0) })
        return try .json(ProfileBody(cityId: cityId, on: date, asOf: clocks.recordedAt, items: standings,
                                     focusAreas: GovernanceCatalogue.focusAreas.map { FocusAreaLevel.of($0, standings: byProcess) }))
    }
}

struct ReachedLevel: Encodable, Sendable {
    var reachedLevel: Int
}

/// Maturity along the transition path, its snapshots, and the benchmark between cities.
struct MaturityController: Sendable {
    let database: AppDatabase

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/cities/{cityId}/maturity", use: maturity)
        router.post("/v1/cities/{cityId}/maturity-snapshots", use: snapshot)
        router.get("/v1/cities/{cityId}/maturity-snapshots", use: snapshots)
        router.get("/v1/benchmark", use: benchmark)
    }

    @Sendable func maturity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        var inputs = try clocks.database(database).maturityInputs(cityId: cityId, on: clocks.on, dueBy: clocks.dueBy)
        // The answer states the record time asked for, also when nothing was written after it (then the database
        // read is the present one, whose own clock says the instant of the read).
        inputs.recordedAt = clocks.recordedAt
        return try .json(Maturity(inputs))
    }

    @Sendable func snapshot(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors()
        var date = database.today
        var note: String?
        if var reader = ObjectReader(body, errors: errors) {
            if let asOf = reader.read("asOf", as: LocalDate.self) {
                if asOf > database.today { errors.add(.root.appending("asOf"), "must not be in the future") } else { date = asOf }
            }
            note = reader.text("note", maxLength: 5000)
            reader.finish()
        }
        try errors.throwIfAny()
        let maturity = Maturity(try database.maturityInputs(cityId: cityId, on: date, dueBy: min(date, database.today)))
        let record = try database.create(
            MaturitySnapshotFields(asOf: date, stage: maturity.stage.level, note: note, maturity: try JSONValue.of(maturity),
                                   modelVersion: maturity.modelVersion),
            cityId: cityId, by: context.actor)
        return try .json(record, status: .created, headers: [
            .location: "\(request.uri.path)/\(record.meta.id)", .eTag: ETag.for(version: record.meta.version),
        ])
    }

    @Sendable func snapshots(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var query = QueryReader(request)
        let page = PageRequest(&query)
        let clocks = query.clocks(database)
        try query.finish()
        return try page.response(MaturitySnapshotFields.self, request: request, from: try clocks.database(database), cityId: cityId,
                                 given: clocks.cursorBinding) { $0 }
    }

    @Sendable func benchmark(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        let date = clocks.on
        try query.finish()
        let database = try clocks.database(self.database)
        let cities = try database.byId(CityFields.self, ids: database.allIds(CityFields.self)).values.sorted { $0.meta.id < $1.meta.id }
        let rows = try database.concurrentMap(cities) { city in
            let inputs = try database.maturityInputs(cityId: city.meta.id, on: date, dueBy: clocks.dueBy)
            return BenchmarkRow(city: city, maturity: Maturity(inputs), reporting: inputs.reporting.values.reduce(ComplianceTally(), +),
                                caf: CAFAssessmentFields.latest(try database.all(CAFAssessmentFields.self, cityId: city.meta.id), on: date),
                                itCost: ITCostPerResident(population: city.fields.population, services: inputs.services.map(\.fields), on: inputs.date))
        }
        // Medians and ranks are over every city; the lines shown are those in the caller's scope.
        var benchmark = Benchmark(on: date, asOf: clocks.recordedAt, rows: rows)
        benchmark.cities = benchmark.cities.filter { context.scope.covers(cityId: $0.cityId) }
        return try .json(benchmark)
    }
}
