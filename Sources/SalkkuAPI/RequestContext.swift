import Hummingbird
import SalkkuCore

/// Per-request state handed to every handler.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is asking; recorded with every write.
    public var actor: Actor
    /// The role and cities the caller's token reaches.
    public var scope: AccessScope
    /// The client's address, for limiting failed authentication.
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        actor = .anonymous
        scope = AccessScope(role: .integration, cityIds: [])
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
