import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SalkkuJSON
import SalkkuSpec

/// A page made once and served as it is: its bytes, media type and a strong entity tag over the bytes.
struct StaticPage: Sendable {
    let body: ByteBuffer
    let contentType: String
    let etag: String

    init(_ bytes: some Collection<UInt8>, contentType: String) {
        body = ByteBuffer(bytes: bytes)
        self.contentType = contentType
        // FNV-1a: stable across restarts and builds, so a cached page stays valid until its bytes change.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        etag = "\"\(String(hash, radix: 16))-\(bytes.count)\""
    }

    init(html: String) {
        self.init(Array(html.utf8), contentType: "text/html; charset=utf-8")
    }

    /// 304 when `If-None-Match` names this page's tag (compared weakly, as RFC 9110 §13.1.2 asks), else the page.
    func response(to request: Request, vary: String? = nil) -> Response {
        var headers: HTTPFields = [.eTag: etag, .cacheControl: "no-cache"]
        if let vary { headers[.vary] = vary }
        if contentType.hasPrefix("text/html") {
            // The pages are plain HTML with inline CSS: nothing else may load or run.
            headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        }
        if let condition = request.headers[.ifNoneMatch], WeakETag.matches(condition, etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}

/// The API reference and the problem pages, made on first use from the bundled spec and the catalogue.
enum DocsPages {
    struct ReferenceView {
        let pageTitle: String
        let reference: APIReference
    }

    struct ProblemView {
        struct Row {
            let name: String
            let descriptionHTML: String
        }

        let type: String
        let title: String
        let statusesText: String
        let occursWhenHTML: String
        let clientActionHTML: String
        let members: [Row]
        let headers: [Row]
        let hasHeaders: Bool

        init(_ problem: ProblemType) {
            type = problem.type
            title = problem.title
            statusesText = problem.statuses.map(String.init).joined(separator: ", ")
            occursWhenHTML = HTMLText.markdown(problem.occursWhen)
            clientActionHTML = HTMLText.markdown(problem.clientAction)
            members = problem.members.map { Row(name: $0.name, descriptionHTML: HTMLText.inline($0.description)) }
            headers = problem.headers.map { Row(name: $0.name, descriptionHTML: HTMLText.inline($0.description)) }
            hasHeaders = !headers.isEmpty
        }
    }

    struct ProblemPageView {
        let pageTitle: String
        let problem: ProblemView
    }

    struct ProblemListView {
        let pageTitle = "Problem types"
        let problems: [ProblemView]
    }

    static func referenceHTML(yaml: String) throws -> String {
        let reference = try APIReference(yaml: yaml)
        let title = "\(reference.title) \(reference.version) API reference"
        return DocsTemplates.render(ReferenceView(pageTitle: title, reference: reference), template: "reference")
    }

    /// The bundled spec's reference, or why it could not be made (a spec that does not parse fails the tests first).
    static let reference: Result<StaticPage, SpecError> = {
        do {
            return .success(StaticPage(html: try referenceHTML(yaml: OpenAPISpec.yaml)))
        } catch {
            return .failure(SpecError("the API reference could not be made from openapi.yaml: \(error)"))
        }
    }()

    static let problemListHTML = StaticPage(html: DocsTemplates.render(
        ProblemListView(problems: ProblemCatalogue.all.map(ProblemView.init)), template: "problems"))

    static let problemListJSON = StaticPage(json: ProblemTypeList(items: ProblemCatalogue.all))

    static let problemHTML: [String: StaticPage] = ProblemCatalogue.bySlug.mapValues { problem in
        StaticPage(html: DocsTemplates.render(ProblemPageView(pageTitle: "\(problem.title): \(problem.type)", problem: ProblemView(problem)),
                                              template: "problem"))
    }

    static let problemJSON: [String: StaticPage] = ProblemCatalogue.bySlug.mapValues { StaticPage(json: $0) }
}

struct ProblemTypeList: Encodable {
    let items: [ProblemType]
}

extension StaticPage {
    init(json value: some Encodable) {
        // The catalogue is fixed data of strings and numbers; encoding it cannot fail.
        self.init((try? CompactJSONEncoder.encode(value)) ?? Array("{}".utf8), contentType: MediaType.json)
    }
}
