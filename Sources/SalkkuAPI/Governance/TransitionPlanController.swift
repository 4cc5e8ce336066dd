import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuStore

/// A city's own transition plan: one per city, replaced as a whole; its earlier versions are its history.
struct TransitionPlanController: Sendable {
    let database: AppDatabase

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/cities/{cityId}/transition-plan", use: get)
        router.put("/v1/cities/{cityId}/transition-plan", use: put)
        router.get("/v1/cities/{cityId}/transition-plan/history", use: history)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        guard let record = try clocks.database(database).keyed(TransitionPlanFields.self, cityId: cityId) else {
            throw Problem.notFound("city \(cityId) has no transition plan yet")
        }
        return try .item(record, version: record.meta.version, request: request)
    }

    @Sendable func put(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors(today: database.today)
        guard let fields = TransitionPlanFields.read(body, errors: errors), errors.isEmpty else {
            throw database.failure(errors, body: body, TransitionPlanFields.self, cityId: cityId)
        }
        try fields.checkFactDates(today: database.today)
        let result = try database.put(fields, cityId: cityId, conditions: request.writeConditions, by: context.actor)
        var headers: HTTPFields = [.eTag: ETag.for(version: result.record.meta.version)]
        if result.created { headers[.location] = request.uri.path }
        return try .json(result.record, status: result.created ? .created : .ok, headers: headers)
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        try QueryReader(request).finish()
        guard let id = try database.resourceId(type: TransitionPlanFields.resourceType, cityId: cityId, members: [:]) else {
            throw Problem.notFound("the city has never recorded a transition plan")
        }
        return try HistoryBody.response(database, type: TransitionPlanFields.resourceType, id: id, cityId: cityId)
    }
}
