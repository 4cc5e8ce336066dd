/// One kind of problem document: what its `type` URI resolves to under `/problems/`.
struct ProblemType: Sendable, Encodable {
    struct Member: Sendable, Encodable {
        let name: String
        let description: String
    }

    /// The last segment of the type URI: `validation` for `/problems/validation`.
    let slug: String
    let title: String
    let statuses: [Int]
    let occursWhen: String
    let clientAction: String
    /// Members beyond the four every problem carries (`type`, `title`, `status`, `detail`).
    let extraMembers: [Member]
    let headers: [Member]

    var type: String { "/problems/\(slug)" }

    static let commonMembers: [Member] = [
        Member(name: "type", description: "This kind of problem, as a relative URI that resolves to its explanation."),
        Member(name: "title", description: "A short summary of the kind of problem; the same for every occurrence."),
        Member(name: "status", description: "The HTTP status code of the response."),
        Member(name: "detail", description: "What went wrong in this request, in English."),
    ]

    var members: [Member] { Self.commonMembers + extraMembers }

    enum CodingKeys: String, CodingKey { case type, title, statuses, occursWhen, clientAction, members, headers }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(statuses, forKey: .statuses)
        try container.encode(occursWhen, forKey: .occursWhen)
        try container.encode(clientAction, forKey: .clientAction)
        try container.encode(members, forKey: .members)
        try container.encode(headers, forKey: .headers)
    }
}

/// Every `type` a problem document of Salkku can carry. `ProblemCatalogueTests` fails when the sources use a
/// `"/problems/…"` type that is not here, or when an entry here is no longer used.
enum ProblemCatalogue {
    static let all: [ProblemType] = [
        ProblemType(
            slug: "validation", title: "Validation failed", statuses: [422],
            occursWhen: """
                A request body or query parameter is well-formed but not acceptable: a member is missing, unknown, read-only, \
                of the wrong type, out of range, or breaks a rule between members (an end date before the start, an effort \
                profile that does not sum to 100); or a query parameter is unknown, repeated or invalid. Every error found \
                is reported, not only the first. Nothing was stored.
                """,
            clientAction: """
                Correct each listed member or parameter as its `detail` says and send the request again. Do not retry \
                unchanged: the answer will be the same.
                """,
            extraMembers: [
                .init(name: "errors", description: "The field errors, at most the first 100, in the order found."),
                .init(name: "errors[].pointer", description: "A JSON Pointer (RFC 6901) into the request body, e.g. `/contact/email`; `` (empty) for the body itself."),
                .init(name: "errors[].parameter", description: "The name of the query parameter at fault (instead of `pointer`)."),
                .init(name: "errors[].detail", description: "Why the value is refused and what is accepted."),
                .init(name: "errorCount", description: "How many errors were found in all, listed or not."),
            ],
            headers: []),
        ProblemType(
            slug: "malformed-json", title: "Malformed JSON", statuses: [400],
            occursWhen: """
                The request body is not strict JSON: a syntax error, a duplicate object key, invalid UTF-8, a number out of \
                range or nesting deeper than 32 levels.
                """,
            clientAction: "Fix the body at the given line and column; use a JSON serialiser rather than building text by hand.",
            extraMembers: [
                .init(name: "line", description: "The line of the error, from 1."),
                .init(name: "column", description: "The column of the error, from 1."),
            ],
            headers: []),
        ProblemType(
            slug: "unreadable-request", title: "Unreadable request", statuses: [400],
            occursWhen: "The HTTP request itself could not be read: a body that stops short of its length, or a chunk size that does not parse.",
            clientAction: "Check the HTTP client or proxy that sent the request; send the complete request again.",
            extraMembers: [], headers: []),
        ProblemType(
            slug: "unauthorized", title: "Unauthorized", statuses: [401],
            occursWhen: "The request carries no bearer token, or one that is malformed, unknown, revoked or expired.",
            clientAction: """
                Send `Authorization: Bearer <token>` with a valid token (from `salkku token create` or POST /v1/tokens). \
                Repeated failures from one address are rate-limited.
                """,
            extraMembers: [],
            headers: [.init(name: "WWW-Authenticate", description: #"`Bearer realm="salkku"`, with `error="invalid_token"` when a token was sent but not accepted."#)]),
        ProblemType(
            slug: "forbidden", title: "Forbidden", statuses: [403],
            occursWhen: """
                The token is valid but its role may not use this operation (an auditor writing, a CIO reading the audit log), \
                or the operation reaches every city and the admin token is limited to some.
                """,
            clientAction: "Use a token whose role and cities allow the operation; see the access table in the README.",
            extraMembers: [], headers: []),
        ProblemType(
            slug: "not-found", title: "Not found", statuses: [404],
            occursWhen: """
                No resource has the id in the path, or it belongs to a city the token may not see; no route matches the path, \
                or the path is not in its canonical spelling (a trailing slash, an empty or dot segment); or, at a past record \
                time (`asOf`), the records did not yet know the city.
                """,
            clientAction: "Check the id and the path; an id found in a list is valid until the resource is deleted.",
            extraMembers: [], headers: []),
        ProblemType(
            slug: "method-not-allowed", title: "Method not allowed", statuses: [405],
            occursWhen: "The path exists but does not take this HTTP method.",
            clientAction: "Use one of the methods the `Allow` header lists.",
            extraMembers: [],
            headers: [.init(name: "Allow", description: "The methods the path takes, comma-separated.")]),
        ProblemType(
            slug: "not-acceptable", title: "Not acceptable", statuses: [406],
            occursWhen: """
                The request's `Accept` header names none of the media types the operation answers with (most answer \
                `application/json`; exports also `application/x-ndjson` and `text/csv`, though not the export of every city), \
                or gives each of them quality 0.
                """,
            clientAction: "Accept one of the media types `detail` names, or send no `Accept` header.",
            extraMembers: [], headers: []),
        ProblemType(
            slug: "cursor-ahead", title: "Cursor ahead of the change log", statuses: [409],
            occursWhen: """
                The change feed's `after` is beyond the last change of this database, as when the database was restored \
                from an older backup: changes the reader saw after that point are not here, and later ones would reuse \
                their sequence numbers.
                """,
            clientAction: """
                Re-sync: load an export (`GET /v1/cities/{cityId}/export` or `GET /v1/export`) and continue the feed with \
                `after` set to its `Salkku-Change-Seq` header.
                """,
            extraMembers: [], headers: []),
        ProblemType(
            slug: "conflict", title: "Conflict", statuses: [409],
            occursWhen: """
                The change would break a rule over other records: a unique value (a municipality code, a business ID) is \
                taken, or a resource that is still referenced would be deleted.
                """,
            clientAction: "Read `detail`, which names the other record; change or remove that one first, or choose another value.",
            extraMembers: [], headers: []),
        ProblemType(
            slug: "precondition-failed", title: "Precondition failed", statuses: [412],
            occursWhen: "`If-Match` names a version that is no longer the current one: someone changed the resource since you read it. `If-Match: *` on a record that does not exist, and on a PUT `If-None-Match: *` on one that does (create only), fail too.",
            clientAction: "Read the resource again, reapply your change to the current version and send it with the new ETag.",
            extraMembers: [],
            headers: [.init(name: "ETag", description: "The current version of the resource.")]),
        ProblemType(
            slug: "payload-too-large", title: "Payload too large", statuses: [413],
            occursWhen: "The request body is over 1 MiB (an import file over 32 MiB), or holds more JSON values than the server reads.",
            clientAction: "Send less in one request: split a report or an import file into several.",
            extraMembers: [], headers: []),
        ProblemType(
            slug: "unsupported-media-type", title: "Unsupported media type", statuses: [415],
            occursWhen: """
                The body was not sent with the `Content-Type` the operation takes (`application/json`, \
                `application/merge-patch+json` for PATCH, `text/csv` or `application/x-ndjson` for imports), or an import \
                file declares a charset other than UTF-8.
                """,
            clientAction: "Send the body with the media type named in `detail`; save spreadsheets as CSV UTF-8.",
            extraMembers: [], headers: [.init(name: "Accept-Patch", description: "On a PATCH: the patch format the server takes, `application/merge-patch+json`.")]),
        ProblemType(
            slug: "import-rejected", title: "Import rejected", statuses: [422],
            occursWhen: "An import file has at least one row with an error; the whole file was rolled back and nothing was stored.",
            clientAction: """
                Correct the rows and cells `errors` names, then import the file again (a dry run first, with `dryRun=true`, \
                checks it without storing).
                """,
            extraMembers: [
                .init(name: "importType", description: "The type of record the file holds."),
                .init(name: "dryRun", description: "Whether this was a dry run."),
                .init(name: "stored", description: "Always false here: nothing was stored."),
                .init(name: "totals", description: "How many rows would have been created, updated or left unchanged, and how many had errors."),
                .init(name: "rows", description: "Every row's outcome."),
                .init(name: "errors", description: "The first hundred errors."),
                .init(name: "errors[].row", description: "The spreadsheet row (the header is row 1) or NDJSON line."),
                .init(name: "errors[].column", description: "The column (member) at fault, when one is."),
                .init(name: "errors[].value", description: "The value the cell held."),
                .init(name: "errors[].detail", description: "Why the value is refused."),
            ],
            headers: []),
        ProblemType(
            slug: "rate-limited", title: "Too many requests", statuses: [429],
            occursWhen: "The token has used up its request rate, or its address has failed authentication too often.",
            clientAction: "Wait the number of seconds `Retry-After` gives before the next request; slow down.",
            extraMembers: [],
            headers: [.init(name: "Retry-After", description: "Seconds to wait.")]),
        ProblemType(
            slug: "http", title: "Bad Request", statuses: [400],
            occursWhen: """
                The HTTP framework refused the request before Salkku's own checks ran (in practice with 400; another client \
                error status is possible). `title` is the status's reason phrase.
                """,
            clientAction: "Read `detail`; fix the request as it says.",
            extraMembers: [], headers: []),
        ProblemType(
            slug: "internal", title: "Internal error", statuses: [500],
            occursWhen: "The server failed to answer because of a fault of its own, never of the request; the failure is logged.",
            clientAction: "Retry later; if it persists, report it to the operators with the time of the request.",
            extraMembers: [], headers: []),
        ProblemType(
            slug: "busy", title: "Busy", statuses: [503],
            occursWhen: """
                As many all-city reports, imports or exports as the server runs at once are already running. Other requests \
                are not held up.
                """,
            clientAction: "Retry after the number of seconds `Retry-After` gives.",
            extraMembers: [],
            headers: [.init(name: "Retry-After", description: "Seconds to wait.")]),
        ProblemType(
            slug: "not-ready", title: "Not ready", statuses: [503],
            occursWhen: "GET /readyz: the database does not answer.",
            clientAction: "A load balancer should send no traffic to this instance until /readyz answers 200.",
            extraMembers: [], headers: []),
    ]

    static let bySlug: [String: ProblemType] = Dictionary(uniqueKeysWithValues: all.map { ($0.slug, $0) })
}
