import Hummingbird
import SalkkuCore
import SalkkuStore

/// Per-request state handed to every handler.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is asking; recorded with every write.
    public var actor: Actor
    /// The role and cities the caller's token reaches.
    public var scope: AccessScope
    /// The client's address, for limiting failed authentication.
    public var clientAddress: String
    /// The city of the path when a read at a past record time found it then (it may be deleted since).
    public var cityAtRecordTime: String?
    /// Shared by every copy of this context, so that the log line sees what later middleware learned.
    public let note = RequestNote()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        actor = .anonymous
        scope = AccessScope(role: .integration, cityIds: [])
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

extension AppRequestContext {
    /// Whatever a handler returns as a value is written by the one JSON writer.
    public var responseEncoder: CompactJSONResponseEncoder { CompactJSONResponseEncoder() }
}

/// Responses in the API's one JSON form: compact, sorted keys, as `CompactJSONEncoder` writes them.
public struct CompactJSONResponseEncoder: ResponseEncoder {
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        try .json(value)
    }
}

extension AppDatabase {
    /// The city the request's path names, after checking that it exists (404 otherwise); at a past record time
    /// the middleware has already checked it against the records of then.
    func requireCity(_ context: AppRequestContext) throws -> String {
        let cityId = try context.parameters.require("cityId")
        if context.cityAtRecordTime == cityId { return cityId }
        guard try exists(CityFields.self, id: cityId) else { throw Problem.notFound("no city has id \(cityId)") }
        return cityId
    }
}
