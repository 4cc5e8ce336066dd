import Mustache

/// The pages' templates. Mustache escapes `{{…}}` for HTML; `{{{…}}}` is used only for the `…HTML` members,
/// which `HTMLText` made from escaped text. `{{.name}}` looks the name up in the current object only, so that a
/// member left out (nil) does not show the same member of an enclosing object instead.
enum DocsTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        // The templates are fixed text checked by the tests; a parse error is a programming error.
        // swiftlint:disable force_try
        try! library.register(head, named: "head")
        try! library.register(foot, named: "foot")
        try! library.register(content, named: "content")
        try! library.register(reference, named: "reference")
        try! library.register(problemList, named: "problems")
        try! library.register(problemPage, named: "problem")
        // swiftlint:enable force_try
        return library
    }()

    static func render(_ page: Any, template: String) -> String {
        library.render(page, withTemplate: template) ?? ""
    }

    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{pageTitle}}</title>
        <style>
        :root { color-scheme: light dark; --fg: #1d232a; --muted: #5a6570; --line: #d8dee4; --bg: #ffffff; --soft: #f4f6f8;
          --link: #0b5cad; --get: #1f7a3f; --post: #0b5cad; --put: #8a5a00; --patch: #6b3fa0; --delete: #b3261e; }
        @media (prefers-color-scheme: dark) { :root { --fg: #e6e9ec; --muted: #a3adb8; --line: #38414a; --bg: #15191d; --soft: #1e242a;
          --link: #7ab7ff; --get: #5fd08a; --post: #7ab7ff; --put: #f0b44c; --patch: #c39bf0; --delete: #ff8a80; } }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        a { color: var(--link); text-decoration: none; } a:hover { text-decoration: underline; }
        code, pre { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
        code { background: var(--soft); padding: 0.05em 0.3em; border-radius: 3px; }
        pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 0.75em 1em; overflow-x: auto; line-height: 1.4; }
        pre code, a code { background: none; padding: 0; }
        .layout { display: grid; grid-template-columns: 20rem 1fr; }
        nav.toc { position: sticky; top: 0; height: 100vh; overflow-y: auto; padding: 1rem; border-right: 1px solid var(--line);
          background: var(--soft); font-size: 0.85em; }
        nav.toc ul { list-style: none; margin: 0 0 0.75rem; padding: 0; }
        nav.toc li { margin: 0.15rem 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        nav.toc .toc-tag { font-weight: 600; margin: 0.75rem 0 0.25rem; text-transform: capitalize; }
        main { padding: 1rem 2.5rem 4rem; max-width: 70rem; min-width: 0; }
        main.single { margin: 0 auto; }
        h1 { font-size: 1.9rem; margin: 0.5rem 0; } h2 { font-size: 1.5rem; margin-top: 2.5rem; border-bottom: 2px solid var(--line); padding-bottom: 0.25rem; }
        h3 { font-size: 1.15rem; margin: 0 0 0.25rem; } h4 { font-size: 1rem; margin: 1.25rem 0 0.4rem; }
        .version { font-size: 0.9rem; color: var(--muted); font-weight: normal; }
        .meta, .constraints { color: var(--muted); font-size: 0.9em; }
        .summary { font-size: 1.05em; margin: 0.25rem 0; }
        section.operation, section.schema { border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 1.25rem 0; }
        .method { display: inline-block; min-width: 4.2em; text-align: center; font: 600 0.8em/1.6 ui-monospace, Menlo, Consolas, monospace;
          border-radius: 4px; color: #fff; padding: 0 0.4em; margin-right: 0.3em; }
        .method-get { background: var(--get); } .method-post { background: var(--post); } .method-put { background: var(--put); }
        .method-patch { background: var(--patch); } .method-delete { background: var(--delete); }
        @media (prefers-color-scheme: dark) { .method { color: #111; } }
        .required { color: var(--delete); font-size: 0.8em; font-weight: 600; }
        table { border-collapse: collapse; width: 100%; font-size: 0.92em; margin: 0.25rem 0 0.75rem; }
        th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 0.4rem 0.6rem 0.4rem 0; }
        th { font-weight: 600; color: var(--muted); }
        td p:first-child, td ul:first-child { margin-top: 0; } td p:last-child, td ul:last-child { margin-bottom: 0; }
        td.status { font: 600 1em ui-monospace, Menlo, Consolas, monospace; width: 4em; }
        .status-2xx { color: var(--get); } .status-3xx { color: var(--muted); } .status-4xx { color: var(--put); } .status-5xx { color: var(--delete); }
        .content { margin: 0.3rem 0 0.6rem; }
        @media (max-width: 60rem) { .layout { display: block; } nav.toc { position: static; height: auto; border-right: 0; } main { padding: 1rem; } }
        </style>
        </head>
        <body>

        """

    static let foot = """
        </body>
        </html>

        """

    static let content = """
        <div class="content"><code>{{mediaType}}</code>{{#.schemaHTML}} · {{{.}}}{{/.schemaHTML}}
        {{#.example}}<pre><code>{{.}}</code></pre>{{/.example}}</div>

        """

    static let reference = """
        {{> head}}
        {{#reference}}
        <div class="layout">
        <nav class="toc" aria-label="Contents">
        <p><a href="#top"><strong>{{title}}</strong> {{version}}</a></p>
        <p><a href="/problems">Problem types</a> · <a href="/openapi.yaml">openapi.yaml</a></p>
        {{#groups}}
        <p class="toc-tag"><a href="#{{anchor}}">{{name}}</a></p>
        <ul>
        {{#operations}}<li><a href="#{{anchor}}"><span class="method {{methodClass}}">{{method}}</span> {{path}}</a></li>
        {{/operations}}
        </ul>
        {{/groups}}
        <p class="toc-tag"><a href="#schemas">Schemas</a></p>
        <ul>
        {{#schemas}}<li><a href="#{{anchor}}">{{name}}</a></li>
        {{/schemas}}
        </ul>
        </nav>
        <main id="top">
        <h1>{{title}} <span class="version">{{version}}</span></h1>
        {{#.summary}}<p class="summary">{{.}}</p>{{/.summary}}
        {{#.descriptionHTML}}<div class="description">{{{.}}}</div>{{/.descriptionHTML}}
        <p class="meta">{{operationCount}} operations. Errors are <a href="/problems">problem documents</a>; the contract itself is
        <a href="/openapi.yaml">openapi.yaml</a>.</p>
        {{#groups}}
        <h2 id="{{anchor}}">{{name}}</h2>
        {{#.descriptionHTML}}<div class="description">{{{.}}}</div>{{/.descriptionHTML}}
        {{#operations}}
        <section class="operation" id="{{anchor}}">
        <h3><span class="method {{methodClass}}">{{method}}</span> <code>{{path}}</code></h3>
        {{#.summary}}<p class="summary">{{.}}</p>{{/.summary}}
        <p class="meta">{{#.operationId}}<code>{{.}}</code> · {{/.operationId}}{{#needsNoToken}}no token needed{{/needsNoToken}}{{^needsNoToken}}bearer token{{/needsNoToken}}</p>
        {{#.descriptionHTML}}<div class="description">{{{.}}}</div>{{/.descriptionHTML}}
        {{#hasParameters}}
        <h4>Parameters</h4>
        <table>
        <thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead>
        <tbody>
        {{#parameters}}<tr><td><code>{{name}}</code>{{#required}} <span class="required">required</span>{{/required}}</td><td>{{location}}</td><td>{{{typeHTML}}}</td><td>{{#.descriptionHTML}}{{{.}}}{{/.descriptionHTML}}{{#.constraintsHTML}}<p class="constraints">{{{.}}}</p>{{/.constraintsHTML}}</td></tr>
        {{/parameters}}
        </tbody>
        </table>
        {{/hasParameters}}
        {{#.requestBody}}
        <h4>Request body{{#required}} <span class="required">required</span>{{/required}}</h4>
        {{#.descriptionHTML}}<div class="description">{{{.}}}</div>{{/.descriptionHTML}}
        {{#contents}}{{> content}}{{/contents}}
        {{/.requestBody}}
        <h4>Responses</h4>
        <table>
        <tbody>
        {{#responses}}<tr><td class="status {{statusClass}}">{{status}}</td><td>{{#.descriptionHTML}}{{{.}}}{{/.descriptionHTML}}
        {{#hasHeaders}}<ul class="meta">{{#headers}}<li>Header <code>{{name}}</code> ({{{typeHTML}}}){{#.descriptionHTML}}: {{{.}}}{{/.descriptionHTML}}</li>{{/headers}}</ul>{{/hasHeaders}}
        {{#contents}}{{> content}}{{/contents}}</td></tr>
        {{/responses}}
        </tbody>
        </table>
        </section>
        {{/operations}}
        {{/groups}}
        <h2 id="schemas">Schemas</h2>
        {{#schemas}}
        <section class="schema" id="{{anchor}}">
        <h3>{{name}}</h3>
        <p class="meta">{{{typeHTML}}}{{#closed}} · no other members{{/closed}}</p>
        {{#.composedOfHTML}}<p>{{{.}}}</p>{{/.composedOfHTML}}
        {{#.descriptionHTML}}<div class="description">{{{.}}}</div>{{/.descriptionHTML}}
        {{#.constraintsHTML}}<p class="constraints">{{{.}}}</p>{{/.constraintsHTML}}
        {{#hasProperties}}
        <table>
        <thead><tr><th>Member</th><th>Type</th><th>Description</th></tr></thead>
        <tbody>
        {{#properties}}<tr><td><code>{{name}}</code>{{#required}} <span class="required">required</span>{{/required}}</td><td>{{{typeHTML}}}</td><td>{{#.descriptionHTML}}{{{.}}}{{/.descriptionHTML}}{{#.constraintsHTML}}<p class="constraints">{{{.}}}</p>{{/.constraintsHTML}}</td></tr>
        {{/properties}}
        </tbody>
        </table>
        {{/hasProperties}}
        {{#.example}}<h4>Example</h4><pre><code>{{.}}</code></pre>{{/.example}}
        </section>
        {{/schemas}}
        </main>
        </div>
        {{/reference}}
        {{> foot}}
        """

    static let problemList = """
        {{> head}}
        <main class="single">
        <h1>Problem types</h1>
        <p>Every error Salkku answers is an RFC 9457 <code>application/problem+json</code> document. Its <code>type</code> is one of
        these relative URIs, and each resolves to a page that explains it. Ask with <code>Accept: application/json</code> for this
        list as JSON. See also the <a href="/docs">API reference</a>.</p>
        <table>
        <thead><tr><th>Type</th><th>Status</th><th>Title</th><th>When</th></tr></thead>
        <tbody>
        {{#problems}}<tr><td><a href="{{type}}"><code>{{type}}</code></a></td><td>{{statusesText}}</td><td>{{title}}</td><td>{{{occursWhenHTML}}}</td></tr>
        {{/problems}}
        </tbody>
        </table>
        </main>
        {{> foot}}
        """

    static let problemPage = """
        {{> head}}
        <main class="single">
        {{#problem}}
        <p class="meta"><a href="/problems">Problem types</a> · <a href="/docs">API reference</a></p>
        <h1>{{title}}</h1>
        <p class="meta"><code>{{type}}</code> · HTTP {{statusesText}} · <code>application/problem+json</code></p>
        <h2>When it happens</h2>
        {{{occursWhenHTML}}}
        <h2>What the client should do</h2>
        {{{clientActionHTML}}}
        <h2>Members</h2>
        <table>
        <thead><tr><th>Member</th><th>Description</th></tr></thead>
        <tbody>
        {{#members}}<tr><td><code>{{name}}</code></td><td>{{{descriptionHTML}}}</td></tr>
        {{/members}}
        </tbody>
        </table>
        {{#hasHeaders}}
        <h2>Headers</h2>
        <table>
        <thead><tr><th>Header</th><th>Description</th></tr></thead>
        <tbody>
        {{#headers}}<tr><td><code>{{name}}</code></td><td>{{{descriptionHTML}}}</td></tr>
        {{/headers}}
        </tbody>
        </table>
        {{/hasHeaders}}
        {{/problem}}
        </main>
        {{> foot}}
        """
}
