import Hummingbird

/// The human-readable API reference made from the spec, and the pages that problem `type` URIs resolve to.
/// Open to everyone, like the spec itself.
struct DocsController {
    func register(on router: Router<AppRequestContext>) {
        router.get("/docs") { request, _ in
            switch DocsPages.reference {
            case .success(let page): return page.response(to: request)
            case .failure(let error): throw error
            }
        }
        router.get("/problems") { request, _ in
            AcceptHeader.prefersJSON(request.headers[.accept])
                ? DocsPages.problemListJSON.response(to: request, vary: "Accept")
                : DocsPages.problemListHTML.response(to: request, vary: "Accept")
        }
        router.get("/problems/{type}") { request, context in
            let slug = try context.parameters.require("type")
            let pages = AcceptHeader.prefersJSON(request.headers[.accept]) ? DocsPages.problemJSON : DocsPages.problemHTML
            guard let page = pages[slug] else {
                throw Problem.notFound("no problem type /problems/\(Echo.short(slug)); GET /problems lists them")
            }
            return page.response(to: request, vary: "Accept")
        }
    }
}
