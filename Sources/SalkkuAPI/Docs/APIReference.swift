import Foundation
import Yams

/// What the reference page shows, read from the OpenAPI document. Members named `…HTML` hold markup made by
/// `HTMLText` from escaped text; every other string is escaped by the template.
struct APIReference {
    struct TagGroup {
        let name: String
        let anchor: String
        let descriptionHTML: String?
        let operations: [Operation]
    }

    struct Operation {
        let anchor: String
        let operationId: String?
        let method: String
        let methodClass: String
        let path: String
        let summary: String?
        let descriptionHTML: String?
        let needsNoToken: Bool
        let parameters: [Parameter]
        let hasParameters: Bool
        let requestBody: RequestBody?
        let responses: [Response]
    }

    struct Parameter {
        let name: String
        let location: String
        let required: Bool
        let typeHTML: String
        let descriptionHTML: String?
        let constraintsHTML: String?
    }

    struct RequestBody {
        let required: Bool
        let descriptionHTML: String?
        let contents: [Content]
    }

    struct Content {
        let mediaType: String
        let schemaHTML: String?
        let example: String?
    }

    struct Response {
        let status: String
        let statusClass: String
        let descriptionHTML: String?
        let headers: [Header]
        let hasHeaders: Bool
        let contents: [Content]
    }

    struct Header {
        let name: String
        let typeHTML: String
        let descriptionHTML: String?
    }

    struct Schema {
        let name: String
        let anchor: String
        let typeHTML: String
        let descriptionHTML: String?
        let composedOfHTML: String?
        let constraintsHTML: String?
        let closed: Bool
        let properties: [Property]
        let hasProperties: Bool
        let example: String?
    }

    struct Property {
        let name: String
        let required: Bool
        let typeHTML: String
        let descriptionHTML: String?
        let constraintsHTML: String?
    }

    let title: String
    let version: String
    let summary: String?
    let descriptionHTML: String?
    let groups: [TagGroup]
    let schemas: [Schema]
    let operationCount: Int

    init(yaml: String) throws {
        let root = try SpecYAML.parse(yaml)
        let reader = SpecReader(root: root)
        let info = root[member: "info"]
        title = info?[member: "title"]?.text ?? "API"
        version = info?[member: "version"]?.text ?? ""
        summary = info?[member: "summary"]?.text
        descriptionHTML = info?[member: "description"]?.text.map(HTMLText.markdown)

        var operationsByTag: [String: [Operation]] = [:]
        var count = 0
        for (path, pathItem) in root[member: "paths"]?.members ?? [] {
            let shared = pathItem[member: "parameters"]?.items ?? []
            for (method, operation) in pathItem.members where SpecReader.methods.contains(method) {
                let tag = operation[member: "tags"]?.items.first?.text ?? "other"
                operationsByTag[tag, default: []].append(reader.operation(method: method, path: path, operation, sharedParameters: shared))
                count += 1
            }
        }
        operationCount = count
        var groups: [TagGroup] = []
        var listed: Set<String> = []
        for tag in root[member: "tags"]?.items ?? [] {
            guard let name = tag[member: "name"]?.text, let operations = operationsByTag[name] else { continue }
            listed.insert(name)
            groups.append(TagGroup(name: name, anchor: "tag-" + SpecReader.anchorSafe(name),
                                   descriptionHTML: tag[member: "description"]?.text.map(HTMLText.markdown), operations: operations))
        }
        for (name, operations) in operationsByTag.sorted(by: { $0.key < $1.key }) where !listed.contains(name) {
            groups.append(TagGroup(name: name, anchor: "tag-" + SpecReader.anchorSafe(name), descriptionHTML: nil, operations: operations))
        }
        self.groups = groups
        schemas = (root[member: "components"]?[member: "schemas"]?.members ?? []).map { reader.schema(name: $0.key, $0.value) }
    }
}

/// Reads the parts of the spec, following `$ref`s within the document.
struct SpecReader {
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
    let root: Node

    /// The node a local `$ref` (`#/components/…`) points at, or the node itself.
    func resolved(_ node: Node) -> Node {
        var node = node
        var seen = 0
        while let reference = node[member: "$ref"]?.text, seen < 10, let target = lookup(reference) {
            node = target
            seen += 1
        }
        return node
    }

    func lookup(_ reference: String) -> Node? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Node? = root
        for segment in reference.dropFirst(2).split(separator: "/") {
            let key = segment.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[member: key]
        }
        return node
    }

    static func anchorSafe(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
    }

    static func schemaAnchor(_ name: String) -> String { "schema-" + anchorSafe(name) }

    func operation(method: String, path: String, _ operation: Node, sharedParameters: [Node]) -> APIReference.Operation {
        let operationId = operation[member: "operationId"]?.text
        // An operation's own parameter replaces a path-level one of the same name and location.
        var parameters: [Node] = []
        var keys: [String] = []
        for parameter in (sharedParameters + (operation[member: "parameters"]?.items ?? [])).map(resolved) {
            let key = "\(parameter[member: "in"]?.text ?? "") \(parameter[member: "name"]?.text ?? "")"
            if let index = keys.firstIndex(of: key) {
                parameters[index] = parameter
            } else {
                keys.append(key)
                parameters.append(parameter)
            }
        }
        let parameterRows = parameters.map { parameter in
            // A referenced schema's constraints are in its own section.
            let inlineSchema = parameter[member: "schema"].flatMap { $0[member: "$ref"] == nil ? $0 : nil }
            return APIReference.Parameter(
                name: parameter[member: "name"]?.text ?? "",
                location: parameter[member: "in"]?.text ?? "",
                required: parameter[member: "required"]?.isTrue ?? false,
                typeHTML: typeHTML(parameter[member: "schema"]),
                descriptionHTML: parameter[member: "description"]?.text.map(HTMLText.markdown),
                constraintsHTML: inlineSchema.flatMap(constraintsHTML))
        }
        let requestBody = operation[member: "requestBody"].map(resolved).map { body in
            APIReference.RequestBody(
                required: body[member: "required"]?.isTrue ?? false,
                descriptionHTML: body[member: "description"]?.text.map(HTMLText.markdown),
                contents: contents(of: body))
        }
        let responses = (operation[member: "responses"]?.members ?? []).sorted { $0.key < $1.key }.map { status, response in
            let response = resolved(response)
            let headers = (response[member: "headers"]?.members ?? []).map { name, header in
                let header = resolved(header)
                // One line in a list item, so no paragraph of its own.
                return APIReference.Header(name: name, typeHTML: typeHTML(header[member: "schema"]),
                                           descriptionHTML: header[member: "description"]?.text.map {
                                               HTMLText.inline($0.split(separator: "\n").joined(separator: " "))
                                           })
            }
            return APIReference.Response(
                status: status, statusClass: "status-\(status.prefix(1))xx",
                descriptionHTML: response[member: "description"]?.text.map(HTMLText.markdown),
                headers: headers, hasHeaders: !headers.isEmpty, contents: contents(of: response))
        }
        // `security: []` opens an operation; the document's default asks for a token.
        let security = operation[member: "security"] ?? root[member: "security"]
        return APIReference.Operation(
            anchor: "op-" + SpecReader.anchorSafe(operationId ?? "\(method)-\(path)"),
            operationId: operationId, method: method.uppercased(), methodClass: "method-\(method)", path: path,
            summary: operation[member: "summary"]?.text,
            descriptionHTML: operation[member: "description"]?.text.map(HTMLText.markdown),
            needsNoToken: security.map { $0.items.isEmpty } ?? true,
            parameters: parameterRows, hasParameters: !parameterRows.isEmpty,
            requestBody: requestBody, responses: responses)
    }

    func contents(of node: Node) -> [APIReference.Content] {
        (node[member: "content"]?.members ?? []).map { mediaType, content in
            let schema = content[member: "schema"]
            return APIReference.Content(mediaType: mediaType, schemaHTML: schema.map { typeHTML($0) },
                                        example: example(of: content, schema: schema))
        }
    }

    /// The media type's `example`, else its first `examples` value, else the example of a schema it refers to.
    func example(of content: Node, schema: Node?) -> String? {
        if let example = content[member: "example"] { return example.prettyJSON() }
        if let first = content[member: "examples"]?.members.first?.value {
            let example = resolved(first)
            if let value = example[member: "value"] { return value.prettyJSON() }
        }
        if let schema, let examples = resolved(schema)[member: "examples"]?.items, let first = examples.first {
            return first.prettyJSON()
        }
        return nil
    }

    /// A schema named in a table: a link to a named schema, or its type written out.
    func typeHTML(_ schema: Node?, composition: Bool = true) -> String {
        guard let schema else { return "any" }
        if let reference = schema[member: "$ref"]?.text {
            let name = String(reference.split(separator: "/").last ?? "")
            return "<a href=\"#\(SpecReader.schemaAnchor(name))\">\(HTMLText.escaped(name))</a>"
        }
        for (keyword, joiner) in [("oneOf", " | "), ("anyOf", " | "), ("allOf", " &amp; ")] where composition {
            if let parts = schema[member: keyword]?.items, !parts.isEmpty {
                return parts.map { typeHTML($0) }.joined(separator: joiner)
            }
        }
        let types = schema[member: "type"].map { node in node.items.isEmpty ? [node.text ?? ""] : node.items.compactMap(\.text) } ?? []
        if types.isEmpty {
            if schema[member: "const"] != nil { return "const" }
            if schema[member: "enum"] != nil { return "enum" }
            if schema[member: "properties"] != nil { return "object" }
            return "any"
        }
        return types.map { type in
            switch type {
            case "array":
                return "array of " + typeHTML(schema[member: "items"])
            case "object":
                if let values = schema[member: "additionalProperties"], values.scalar == nil {
                    return "map of " + typeHTML(values)
                }
                return "object"
            default:
                let format = schema[member: "format"]?.text.map { " (\(HTMLText.escaped($0)))" } ?? ""
                return HTMLText.escaped(type) + format
            }
        }.joined(separator: " | ")
    }

    /// Enumerated values, bounds, patterns, defaults: what a value must be beyond its type.
    func constraintsHTML(_ schema: Node) -> String? {
        var parts: [String] = []
        func code(_ node: Node) -> String {
            let text = node.scalar != nil && node.tag.rawValue == Tag.Name.str.rawValue ? (node.text ?? "") : node.prettyJSON()
            return "<code>\(HTMLText.escaped(text))</code>"
        }
        if let values = schema[member: "enum"]?.items, !values.isEmpty {
            parts.append("one of " + values.map(code).joined(separator: ", "))
        }
        if let value = schema[member: "const"] { parts.append("always " + code(value)) }
        let bounds: [(String, String)] = [
            ("minimum", "minimum"), ("exclusiveMinimum", "greater than"), ("maximum", "maximum"), ("exclusiveMaximum", "less than"),
            ("minLength", "min length"), ("maxLength", "max length"), ("minItems", "min items"), ("maxItems", "max items"),
            ("minProperties", "min members"), ("maxProperties", "max members"), ("multipleOf", "multiple of"),
        ]
        for (keyword, label) in bounds {
            if let value = schema[member: keyword]?.text { parts.append("\(label) \(HTMLText.escaped(value))") }
        }
        if schema[member: "uniqueItems"]?.isTrue == true { parts.append("unique items") }
        if let pattern = schema[member: "pattern"]?.text { parts.append("pattern <code>\(HTMLText.escaped(pattern))</code>") }
        if let value = schema[member: "default"] { parts.append("default " + code(value)) }
        if schema[member: "readOnly"]?.isTrue == true { parts.append("read-only") }
        if schema[member: "writeOnly"]?.isTrue == true { parts.append("write-only") }
        if schema[member: "deprecated"]?.isTrue == true { parts.append("deprecated") }
        if let items = schema[member: "items"], items[member: "$ref"] == nil, let inner = constraintsHTML(items) {
            parts.append("each item: " + inner)
        }
        if let values = schema[member: "additionalProperties"], values.scalar == nil, values[member: "$ref"] == nil,
           let inner = constraintsHTML(values) {
            parts.append("each value: " + inner)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    func schema(name: String, _ schema: Node) -> APIReference.Schema {
        var properties: [APIReference.Property] = []
        var seen: Set<String> = []
        var required: Set<String> = []
        collectRequired(schema, into: &required)
        collectProperties(schema, prefix: "", required: required, seen: &seen, into: &properties, depth: 0)
        let composition = ["allOf", "oneOf", "anyOf"].compactMap { keyword -> String? in
            guard let parts = schema[member: keyword]?.items, !parts.isEmpty else { return nil }
            let label = ["allOf": "all of", "oneOf": "one of", "anyOf": "any of"][keyword]!
            return label + " " + parts.map { typeHTML($0) }.joined(separator: ", ")
        }
        let closed = schema[member: "additionalProperties"]?.text == "false" || schema[member: "unevaluatedProperties"]?.text == "false"
        return APIReference.Schema(
            name: name, anchor: SpecReader.schemaAnchor(name),
            typeHTML: schema[member: "type"] != nil ? typeHTML(schema, composition: false)
                : composition.isEmpty || properties.isEmpty ? typeHTML(schema) : "object",
            descriptionHTML: schema[member: "description"]?.text.map(HTMLText.markdown),
            composedOfHTML: composition.isEmpty ? nil : composition.joined(separator: "; "),
            constraintsHTML: constraintsHTML(schema), closed: closed,
            properties: properties, hasProperties: !properties.isEmpty,
            example: schema[member: "examples"]?.items.first?.prettyJSON() ?? schema[member: "example"]?.prettyJSON())
    }

    /// The required members of a schema and of the schemas its `allOf` names, which all apply together.
    func collectRequired(_ schema: Node, into required: inout Set<String>) {
        for name in schema[member: "required"]?.items.compactMap(\.text) ?? [] { required.insert(name) }
        for part in schema[member: "allOf"]?.items ?? [] { collectRequired(resolved(part), into: &required) }
    }

    /// The schema's members, with those of the schemas its `allOf` names, and the members of inline objects
    /// (`contact.email`) and inline array items (`errors[].detail`) under their parent's name.
    func collectProperties(_ schema: Node, prefix: String, required: Set<String>, seen: inout Set<String>,
                           into properties: inout [APIReference.Property], depth: Int) {
        guard depth < 6 else { return }
        for (name, property) in schema[member: "properties"]?.members ?? [] {
            let fullName = prefix + name
            guard seen.insert(fullName).inserted else { continue }
            properties.append(APIReference.Property(
                name: fullName, required: required.contains(name), typeHTML: typeHTML(property),
                descriptionHTML: property[member: "description"]?.text.map(HTMLText.markdown),
                constraintsHTML: property[member: "$ref"] == nil ? constraintsHTML(property) : nil))
            if property[member: "$ref"] == nil {
                let nested: (schema: Node, prefix: String)? = property[member: "properties"] != nil ? (property, fullName + ".")
                    : property[member: "items"].flatMap { $0[member: "properties"] != nil ? ($0, fullName + "[].") : nil }
                if let nested {
                    let innerRequired = Set(nested.schema[member: "required"]?.items.compactMap(\.text) ?? [])
                    collectProperties(nested.schema, prefix: nested.prefix, required: innerRequired, seen: &seen, into: &properties, depth: depth + 1)
                }
            }
        }
        if prefix.isEmpty {
            for part in schema[member: "allOf"]?.items ?? [] {
                collectProperties(resolved(part), prefix: prefix, required: required, seen: &seen, into: &properties, depth: depth + 1)
            }
        }
    }
}
