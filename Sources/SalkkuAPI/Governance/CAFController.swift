import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuStore

/// CAF self-assessments of the city's IT organisation (immutable), and the criteria they score.
struct CAFController: Sendable {
    let database: AppDatabase

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/catalogue/caf-criteria", use: criteria)
        router.post("/v1/cities/{cityId}/caf-assessments", use: create)
        router.get("/v1/cities/{cityId}/caf-assessments", use: list)
        router.get("/v1/cities/{cityId}/caf-assessments/{cafAssessmentId}", use: get)
        router.get("/v1/cities/{cityId}/caf-assessments/{cafAssessmentId}/history", use: history)
    }

    struct Criterion: Encodable {
        var id: String
        var number: Int
        var kind: String
        var name: TrilingualText
    }

    @Sendable func criteria(_ request: Request, context: AppRequestContext) async throws -> Response {
        try QueryReader(request).finish()
        return try .json(CatalogueController.ItemsBody(items: CAFCriterion.allCases.map {
            Criterion(id: $0.rawValue, number: $0.number, kind: $0.isResult ? "result" : "enabler", name: $0.name)
        }))
    }

    struct Scores: Encodable, Sendable {
        var totalScore: Int
        var meanScore: ExactDecimal
    }

    static func present(_ record: Resource<CAFAssessmentFields>) -> Evaluated<CAFAssessmentFields, Scores> {
        Evaluated(record: record, computed: Scores(totalScore: record.fields.totalScore, meanScore: record.fields.meanScore))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors(today: database.today)
        guard let fields = CAFAssessmentFields.read(body, errors: errors), errors.isEmpty else { throw errors.failure }
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
        try query.finish()
        // On a business date the city had made only the assessments dated by then.
        let madeByThen: [ListFilter] = clocks.onText == nil ? [] : [
            .idIn(subquery: "SELECT id FROM caf_assessment WHERE assessedOn <= ?", value: clocks.on.description),
        ]
        return try page.response(CAFAssessmentFields.self, request: request, from: try clocks.database(database),
                                 cityId: cityId, filters: madeByThen, given: clocks.cursorBinding, present: Self.present)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        let id = try context.parameters.require("cafAssessmentId")
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        guard let record = try clocks.database(database).fetch(CAFAssessmentFields.self, id: id, cityId: cityId) else {
            throw Problem.notFound("no CAF self-assessment has id \(id)")
        }
        return try .item(Self.present(record), version: record.meta.version, request: request)
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        try QueryReader(request).finish()
        return try HistoryBody.response(database, type: CAFAssessmentFields.resourceType,
                                        id: try context.parameters.require("cafAssessmentId"), cityId: cityId)
    }
}
