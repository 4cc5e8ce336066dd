import Hummingbird
import SalkkuCore

/// Per-request state handed to every handler.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is asking; recorded with every write.
    public var actor: Actor

    public init(source: Source) {
        coreContext = .init(source: source)
        actor = .anonymous
    }
}
