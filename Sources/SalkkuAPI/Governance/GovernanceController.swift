import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuStore

/// The reference catalogue, read-only.
struct CatalogueController: Sendable {
    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/catalogue/capabilities", use: capabilities)
        router.get("/v1/catalogue/processes", use: processes)
        router.get("/v1/catalogue/focus-areas", use: focusAreas)
    }

    struct CapabilityNode: Encodable {
        var id: String
        var name: BilingualText
        var description: BilingualText
        var children: [CapabilityNode]
    }

    static func tree(parent: String?) -> [CapabilityNode] {
        GovernanceCatalogue.capabilities.filter { $0.parentId == parent }.map {
            CapabilityNode(id: $0.id, name: $0.name, description: $0.description, children: tree(parent: $0.id))
        }
    }

    struct ItemsBody<Item: Encodable>: Encodable { var items: [Item] }

    @Sendable func capabilities(_ request: Request, context: AppRequestContext) async throws -> Response {
        try QueryReader(request).finish()
        return try .json(ItemsBody(items: Self.tree(parent: nil)))
    }

    @Sendable func processes(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        var framework: ProcessFramework?
        if let text = query.string("framework") {
            framework = ProcessFramework(rawValue: text)
            if framework == nil { query.fail("framework", "must be one of: \(ProcessFramework.allowedValues)") }
        }
        try query.finish()
        return try .json(ItemsBody(items: GovernanceCatalogue.processes.filter { framework == nil || $0.framework == framework }))
    }

    @Sendable func focusAreas(_ request: Request, context: AppRequestContext) async throws -> Response {
        try QueryReader(request).finish()
        return try .json(ItemsBody(items: GovernanceCatalogue.focusAreas))
    }
}

/// A city's declared governance facts: capability sourcing, effort profile, governance facts.
struct GovernanceController: Sendable {
    let database: AppDatabase

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/cities/{cityId}/capabilities", use: listCapabilities)
        router.put("/v1/cities/{cityId}/capabilities/{capabilityId}", use: putCapability)
        router.get("/v1/cities/{cityId}/capabilities/{capabilityId}/portfolio", use: capabilityPortfolio)
        router.get("/v1/cities/{cityId}/effort-profile", use: getEffortProfile)
        router.put("/v1/cities/{cityId}/effort-profile", use: putEffortProfile)
        router.get("/v1/cities/{cityId}/governance", use: getGovernance)
        router.put("/v1/cities/{cityId}/governance", use: putGovernance)
        router.get("/v1/cities/{cityId}/capabilities/{capabilityId}/history", use: capabilityHistory)
        router.get("/v1/cities/{cityId}/effort-profile/history", use: effortHistory)
        router.get("/v1/cities/{cityId}/governance/history", use: governanceHistory)
    }

    private func history(_ request: Request, _ context: AppRequestContext, type: String, members: [String: String] = [:],
                         missing: String) throws -> Response {
        let cityId = try database.requireCity(context)
        try QueryReader(request).finish()
        guard let id = try database.resourceId(type: type, cityId: cityId, members: members) else { throw Problem.notFound(missing) }
        return try HistoryBody.response(database, type: type, id: id, cityId: cityId)
    }

    @Sendable func capabilityHistory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let capabilityId = try capabilityId(context)
        return try history(request, context, type: CapabilitySourcingFields.resourceType, members: ["capabilityId": capabilityId],
                           missing: "the city has never recorded how it sources \(capabilityId)")
    }

    @Sendable func effortHistory(_ request: Request, context: AppRequestContext) async throws -> Response {
        try history(request, context, type: EffortProfileFields.resourceType, missing: "the city has never recorded an effort profile")
    }

    @Sendable func governanceHistory(_ request: Request, context: AppRequestContext) async throws -> Response {
        try history(request, context, type: GovernanceFactsFields.resourceType, missing: "the city has never declared governance facts")
    }

    private func capabilityId(_ context: AppRequestContext) throws -> String {
        let id = try context.parameters.require("capabilityId")
        // Capability ids may hold a slash (`sector-expertise/social-health`); clients send it percent-encoded.
        let decoded = id.removingPercentEncoding ?? id
        guard GovernanceCatalogue.capabilityIds.contains(decoded) else { throw Problem.notFound("the catalogue has no capability \(decoded)") }
        return decoded
    }

    /// Writes a PUT body through the store and answers 201 or 200 with the item and its ETag.
    private func putResponse<F: StoredResource>(_ result: (record: Resource<F>, created: Bool), location: String,
                                                present: (Resource<F>) -> some Encodable) throws -> Response {
        var headers: HTTPFields = [.eTag: ETag.for(version: result.record.meta.version)]
        if result.created { headers[.location] = location }
        return try .json(present(result.record), status: result.created ? .created : .ok, headers: headers)
    }

    /// The city's one record of a kind, as it was at the request's `asOf`.
    private func getResponse<F: StoredResource>(_ type: F.Type, cityId: String, _ request: Request, missing: String,
                                                present: (Resource<F>) -> some Encodable) throws -> Response {
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        guard let record = try clocks.database(database).keyed(F.self, cityId: cityId) else { throw Problem.notFound(missing) }
        return try .item(present(record), version: record.meta.version, request: request)
    }

    struct CityCapability: Encodable {
        var id: String
        var parentId: String?
        var name: BilingualText
        var sourcing: CapabilitySourcing?
        var nationalCentreSupports: Bool?
        var providerId: String?
        /// Figure 1.3's estimate of the expert support the city needs, shown beside the sourcing.
        var expertSupportNeed: ExpertSupportNeed?
        var note: String?
        var version: Int?
        var updatedAt: Timestamp?

        enum CodingKeys: String, CodingKey {
            case id, parentId, name, sourcing, nationalCentreSupports, providerId, expertSupportNeed, note, version, updatedAt
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(parentId, forKey: .parentId)
            try container.encode(name, forKey: .name)
            try container.encode(sourcing, forKey: .sourcing)
            try container.encode(nationalCentreSupports, forKey: .nationalCentreSupports)
            try container.encode(providerId, forKey: .providerId)
            try container.encode(expertSupportNeed, forKey: .expertSupportNeed)
            try container.encode(note, forKey: .note)
            try container.encode(version, forKey: .version)
            try container.encode(updatedAt, forKey: .updatedAt)
        }
    }

    @Sendable func listCapabilities(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        let recorded = Dictionary(uniqueKeysWithValues: try clocks.database(database).all(CapabilitySourcingFields.self, cityId: cityId)
            .map { ($0.fields.capabilityId, $0) })
        let items = GovernanceCatalogue.capabilities.map { capability in
            let record = recorded[capability.id]
            return CityCapability(id: capability.id, parentId: capability.parentId, name: capability.name,
                                  sourcing: record?.fields.sourcing, nationalCentreSupports: record?.fields.nationalCentreSupports,
                                  providerId: record?.fields.providerId, expertSupportNeed: record?.fields.expertSupportNeed,
                                  note: record?.fields.note, version: record?.meta.version,
                                  updatedAt: record?.meta.updatedAt)
        }
        return try .json(CatalogueController.ItemsBody(items: items))
    }

    @Sendable func putCapability(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        let capabilityId = try capabilityId(context)
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors()
        guard let fields = CapabilitySourcingFields.read(body, errors: errors, capabilityId: capabilityId), errors.isEmpty else {
            throw database.failure(errors, body: body, CapabilitySourcingFields.self, cityId: cityId)
        }
        let result = try database.put(fields, cityId: cityId, keyColumn: "capabilityId", keyValue: capabilityId,
                                      conditions: request.writeConditions, by: context.actor)
        return try putResponse(result, location: request.uri.path) { $0 }
    }

    struct MappedRecord: Encodable {
        var type: String
        var id: String
        var name: String
        var capabilityIds: [String]
        var annualCostCents: Int64?
    }

    struct CapabilityPortfolio: Encodable {
        var capability: Capability
        /// The capability and every capability under it.
        var includes: [String]
        var services: [MappedRecord]
        var contracts: [MappedRecord]
        var slas: [MappedRecord]
        var projects: [MappedRecord]
        var annualServiceCostCents: Total
        var annualContractValueCents: Total
    }

    @Sendable func capabilityPortfolio(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        let capabilityId = try capabilityId(context)
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        let database = try clocks.database(self.database)
        var included: Set<String> = [capabilityId]
        var frontier = [capabilityId]
        while let parent = frontier.popLast() {
            for child in GovernanceCatalogue.capabilities where child.parentId == parent && included.insert(child.id).inserted {
                frontier.append(child.id)
            }
        }
        func mapped(_ ids: [String]) -> Bool { ids.contains(where: included.contains) }
        let services = try database.all(ServiceFields.self, cityId: cityId).filter { mapped($0.fields.capabilityIds) }
        let contracts = try database.all(ContractFields.self, cityId: cityId).filter { mapped($0.fields.capabilityIds) }
        let slas = try database.all(SLAFields.self, cityId: cityId).filter { mapped($0.fields.capabilityIds) }
        let projects = try database.all(ProjectFields.self, cityId: cityId).filter { mapped($0.fields.capabilityIds) }
        let body = CapabilityPortfolio(
            capability: GovernanceCatalogue.capabilities.first { $0.id == capabilityId }!,
            includes: GovernanceCatalogue.capabilities.map(\.id).filter(included.contains),
            services: services.map { MappedRecord(type: "service", id: $0.meta.id, name: $0.fields.name, capabilityIds: $0.fields.capabilityIds,
                                                  annualCostCents: $0.fields.annualCostCents) },
            contracts: contracts.map { MappedRecord(type: "contract", id: $0.meta.id, name: $0.fields.title,
                                                    capabilityIds: $0.fields.capabilityIds, annualCostCents: $0.fields.annualValueCents) },
            slas: slas.map { MappedRecord(type: "sla", id: $0.meta.id, name: $0.fields.name, capabilityIds: $0.fields.capabilityIds,
                                          annualCostCents: nil) },
            projects: projects.map { MappedRecord(type: "project", id: $0.meta.id, name: $0.fields.name, capabilityIds: $0.fields.capabilityIds,
                                                  annualCostCents: nil) },
            annualServiceCostCents: Total.of(services.map(\.fields.annualCostCents)),
            annualContractValueCents: Total.of(contracts.map(\.fields.annualValueCents)))
        return try .json(body)
    }

    static func effortView(_ record: Resource<EffortProfileFields>) -> Evaluated<EffortProfileFields, EffortDistance> {
        Evaluated(record: record, computed: EffortDistance(distance: record.fields.distance))
    }

    @Sendable func getEffortProfile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        return try getResponse(EffortProfileFields.self, cityId: cityId, request,
                               missing: "city \(cityId) has no effort profile yet", present: Self.effortView)
    }

    @Sendable func putEffortProfile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors()
        guard let fields = EffortProfileFields.read(body, errors: errors), errors.isEmpty else { throw errors.failure }
        let result = try database.put(fields, cityId: cityId, conditions: request.writeConditions, by: context.actor)
        return try putResponse(result, location: request.uri.path, present: Self.effortView)
    }

    @Sendable func getGovernance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        return try getResponse(GovernanceFactsFields.self, cityId: cityId, request,
                               missing: "city \(cityId) has declared no governance facts yet") { $0 }
    }

    @Sendable func putGovernance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors(today: database.today)
        guard let fields = GovernanceFactsFields.read(body, errors: errors), errors.isEmpty else { throw errors.failure }
        try fields.checkFactDates(today: database.today)
        let result = try database.put(fields, cityId: cityId, conditions: request.writeConditions, by: context.actor)
        return try putResponse(result, location: request.uri.path) { $0 }
    }
}

struct EffortDistance: Encodable, Sendable {
    var distance: ExactDecimal
}
