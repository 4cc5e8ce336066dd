import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuJSON
import SalkkuStore

/// SLA measurements: one value per SLA and period, put one at a time or as a supplier's whole report.
struct MeasurementsController: Sendable {
    let database: AppDatabase
    static let itemPath = "/v1/cities/{cityId}/slas/{slaId}/measurements/{period}"
    static let maxReportRows = 10_000
    static let maxReportBytes = 16 << 20

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/cities/{cityId}/slas/{slaId}/measurements", use: list)
        router.put(RouterPath(Self.itemPath), use: put)
        router.get(RouterPath(Self.itemPath), use: get)
        router.patch(RouterPath(Self.itemPath), use: patch)
        router.delete(RouterPath(Self.itemPath), use: delete)
        router.get("/v1/cities/{cityId}/sla-measurements", use: listCity)
        router.post("/v1/cities/{cityId}/sla-measurements", use: importReport)
        router.get(RouterPath(Self.itemPath + "/history"), use: history)
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cityId, sla, period) = try item(context)
        try QueryReader(request).finish()
        guard let id = try database.resourceId(type: MeasurementFields.resourceType, cityId: cityId,
                                               members: ["slaId": sla.id, "period": period.description]) else { throw notFound(sla, period) }
        return try HistoryBody.response(database, type: MeasurementFields.resourceType, id: id, cityId: cityId)
    }

    /// The city, the SLA (which must be the city's) and the period of an item path.
    private func item(_ context: AppRequestContext) throws -> (cityId: String, sla: SLAEntry, period: MeasurementPeriod) {
        let cityId = try database.requireCity(context)
        let slaId = try context.parameters.require("slaId")
        guard let sla = try database.slaEntry(id: slaId, cityId: cityId, on: database.today) else {
            throw Problem.notFound("no SLA has id \(slaId)")
        }
        let text = try context.parameters.require("period")
        guard let period = MeasurementPeriod(text) else {
            throw Problem.invalidParameter("period", "must be a month YYYY-MM or a quarter YYYY-Qn")
        }
        return (cityId, sla, period)
    }

    private func notFound(_ sla: SLAEntry, _ period: MeasurementPeriod) -> Problem {
        Problem.notFound("SLA \(sla.id) has no measurement for \(period)")
    }

    @Sendable func put(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cityId, sla, period) = try item(context)
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors(today: database.today)
        let fields = MeasurementFields.read(body, at: .root, errors: errors, context: .init(
            slaId: sla.id, period: period, now: database.clock(), acceptsDispute: false, unit: sla.unit))
        guard let fields, errors.isEmpty else {
            // The path's period is judged against the SLA beside the body's errors (else only once the body reads).
            if period.lastDay < database.today,
               let problem = MeasurementFields.periodProblem(period, kind: sla.scope.kind, validFrom: sla.scope.validFrom, validTo: sla.scope.validTo) {
                errors.add(parameter: "period", problem)
            }
            throw errors.failure
        }
        let reportedAtGiven = body.member("reportedAt") != nil
        let (record, created) = try database.putMeasurement(
            MeasurementReportRow(fields: fields, reportedAtGiven: reportedAtGiven), cityId: cityId,
            conditions: request.writeConditions, by: context.actor, on: database.today)
        var headers: HTTPFields = [.eTag: ETag.for(version: record.meta.version)]
        if created { headers[.location] = request.uri.path }
        return try .json(record, status: created ? .created : .ok, headers: headers)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cityId, sla, period) = try item(context)
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        guard let record = try clocks.database(database).measurement(slaId: sla.id, period: period, cityId: cityId) else {
            throw notFound(sla, period)
        }
        return try .item(record, version: record.meta.version, request: request)
    }

    @Sendable func patch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cityId, sla, period) = try item(context)
        var request = request
        let patch = try await request.jsonBody(as: MediaType.mergePatch)
        let record = try database.updateMeasurement(
            slaId: sla.id, period: period, cityId: cityId, acceptedVersions: request.ifMatchVersions, by: context.actor,
            on: database.today
        ) { current in
            // The SLA and period are the path's; a patch that names them is refused as read-only.
            guard case .object(var members) = try JSONValue.of(current.fields) else { throw Problem.internalError }
            members["slaId"] = nil
            members["period"] = nil
            let readContext = MeasurementFields.Context(slaId: sla.id, period: period, acceptsDispute: true, unit: sla.unit)
            try MergePatchNulls.check(patch, original: .object(members)) { probe, errors in
                _ = MeasurementFields.read(probe, at: .root, errors: errors, context: readContext)
            }
            let errors = InputErrors()
            let fields = MeasurementFields.read(JSONValue.object(members).mergePatched(with: patch), at: .root, errors: errors,
                                                context: readContext)
            guard let fields, errors.isEmpty else { throw errors.failure }
            return fields
        }
        return try .json(record, headers: [.eTag: ETag.for(version: record.meta.version)])
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cityId, sla, period) = try item(context)
        do {
            try database.deleteMeasurement(slaId: sla.id, period: period, cityId: cityId,
                                           acceptedVersions: request.ifMatchVersions, by: context.actor)
        } catch StoreError.notFound {
            throw notFound(sla, period)
        }
        return Response(status: .noContent)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        let slaId = try context.parameters.require("slaId")
        guard try database.slaEntry(id: slaId, cityId: cityId, on: database.today) != nil else {
            throw Problem.notFound("no SLA has id \(slaId)")
        }
        var query = QueryReader(request)
        let limit = query.integer("limit", in: 1...1000, default: 50)
        let cursor = query.string("cursor")
        let clocks = query.clocks(database)
        var given: [(String, String)] = clocks.cursorBinding
        let range = query.optionalMonthRange(given: &given)
        try query.finish()
        let fingerprint = PageCursor.fingerprint(path: request.uri.path, filters: given)
        let after = try cursor.map { text -> MeasurementPeriod in
            let last = try PageCursor.lastId(from: text, fingerprint: fingerprint).get()
            guard let period = MeasurementPeriod(last) else { throw Problem.invalidParameter("cursor", "is not a cursor this API issued") }
            return period
        }
        let rows = try clocks.database(database).measurements(slaId: slaId, range: range, after: after, limit: limit + 1)
        let items = Array(rows.prefix(limit))
        let next = rows.count > limit ? items.last.map { PageCursor.make(lastId: $0.fields.period.description, fingerprint: fingerprint) } : nil
        return try .list(ListBody(items: items, nextCursor: next), request: request)
    }

    /// A city's measurements across all its SLAs, by period (the month it ends), then SLA: one pull instead of
    /// one per SLA. Filters naming no SLA, contract or supplier of the city give an empty list, as the other lists' do.
    @Sendable func listCity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var query = QueryReader(request)
        let limit = query.integer("limit", in: 1...1000, default: 50)
        let cursor = query.string("cursor")
        let clocks = query.clocks(database)
        var given: [(String, String)] = clocks.cursorBinding
        let range = query.optionalMonthRange(given: &given)
        let filters = MeasurementFilters(slaId: query.naming("slaId"), contractId: query.naming("contractId"),
                                         supplierId: query.naming("supplierId"))
        for case let (name, value?) in [("slaId", filters.slaId), ("contractId", filters.contractId), ("supplierId", filters.supplierId)] {
            given.append((name, value))
        }
        try query.finish()
        let fingerprint = PageCursor.fingerprint(path: request.uri.path, filters: given)
        let after = try cursor.map { text -> MeasurementPosition in
            let last = try PageCursor.lastId(from: text, fingerprint: fingerprint).get()
            let parts = last.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let period = MeasurementPeriod(parts[0]) else {
                throw Problem.invalidParameter("cursor", "is not a cursor this API issued")
            }
            return MeasurementPosition(period: period, slaId: String(parts[1]))
        }
        let rows = try clocks.database(database).cityMeasurements(cityId: cityId, range: range, filters: filters, after: after, limit: limit + 1)
        let items = Array(rows.prefix(limit))
        let next = rows.count > limit ? items.last.map {
            PageCursor.make(lastId: "\($0.fields.period):\($0.fields.slaId)", fingerprint: fingerprint)
        } : nil
        return try .list(ListBody(items: items, nextCursor: next), request: request)
    }

    /// A supplier's report for many SLAs and periods: all rows are stored, or none.
    @Sendable func importReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var request = request
        let body = try await request.jsonBody(as: MediaType.json, maxBytes: Self.maxReportBytes)
        guard case .array(let items) = body else {
            throw Problem.validation([FieldError(pointer: "", "must be a JSON array of measurements")])
        }
        guard items.count <= Self.maxReportRows else {
            throw Problem.validation([FieldError(pointer: "", "must have at most \(Self.maxReportRows) rows, not \(items.count)")])
        }
        let errors = InputErrors(today: database.today)
        let now = database.clock()
        // The units of the city's SLAs (one query), so that a percentage over 100 is named beside a row's other errors.
        var units: [String: MeasurementUnit] = [:]
        for entry in try database.slaEntries(cityId: cityId, on: database.today) { units[entry.id] = entry.unit }
        var rows: [MeasurementReportRow] = []
        for (index, item) in items.enumerated() {
            var unit: MeasurementUnit?
            if case .string(let slaId)? = item.member("slaId") { unit = units[slaId] }
            let fields = MeasurementFields.read(item, at: JSONPointer.root.appending(index), errors: errors,
                                                context: .init(now: now, acceptsDispute: false, unit: unit))
            if let fields {
                rows.append(MeasurementReportRow(fields: fields, reportedAtGiven: item.member("reportedAt") != nil, index: index))
            }
        }
        if errors.isEmpty {
            return try .json(try database.importMeasurements(rows, cityId: cityId, by: context.actor, on: database.today))
        }
        // Rows that could not be read are reported with what the store refuses in the others, so every bad row is named.
        let failed = Set(errors.list.map(rowIndex))
        let refused = try database.validateMeasurements(rows.filter { !failed.contains($0.index) }, cityId: cityId, on: database.today)
        throw Problem.validation((errors.list + refused).sorted { rowIndex($0) < rowIndex($1) }, total: errors.total + refused.count)
    }

    private func rowIndex(_ error: FieldError) -> Int {
        Int(error.pointer?.split(separator: "/").first ?? "") ?? -1
    }
}

extension JSONValue {
    func member(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }
}

extension QueryReader {
    func has(_ name: String) -> Bool { values[name] != nil }

    /// `from` and `to` when either is given (then both are, as `monthRange` requires); nil when neither is. The
    /// range read is added to `given`, the filters a page cursor is bound to.
    mutating func optionalMonthRange(given: inout [(String, String)]) -> MonthRange? {
        guard has("from") || has("to") else { return nil }
        let range = monthRange()
        if let range { given += [("from", range.from.description), ("to", range.to.description)] }
        return range
    }
}
