"""Schemathesis hooks for tests/fuzz/run.sh (loaded through SCHEMATHESIS_HOOKS=tests.fuzz.hooks)."""
import schemathesis

LONGEST_WAIT = 1


@schemathesis.hook
def filter_query(context, query):
    """The change feed's `wait` holds a request open while nothing changes, up to a minute. Keep the
    valid waits the fuzzing sends to a second, so that the run stays short; waits the server refuses
    are answered at once and are all kept."""
    if context.operation is None or context.operation.path != "/v1/changes" or not query:
        return True
    try:
        wait = int(str(query.get("wait", 0)))
    except ValueError:
        return True
    return not LONGEST_WAIT < wait <= 60


def _is_field_value(text):
    # RFC 9110 5.5: visible characters, spaces, tabs and obs-text; no other control characters.
    return all(ch in "\t " or 0x21 <= ord(ch) <= 0x7E or 0x80 <= ord(ch) <= 0xFF for ch in str(text))


@schemathesis.hook
def filter_headers(context, headers):
    """Header values with control characters are not HTTP: the HTTP parser below the API refuses the
    request with a bare 400 and closes the connection before any route sees it, so they cannot test
    the API's contract."""
    return not headers or all(_is_field_value(name) and _is_field_value(value) for name, value in headers.items())


def _text(value):
    """An import file as Schemathesis generates it (the spec types it as a string), sent as its UTF-8 bytes."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else bytes(str(value), "utf-8")


class ImportFileSerializer:
    """Import files (CSV, NDJSON) are text; Schemathesis has no serializer of its own for these media types."""

    def as_requests(self, context, value):
        return {"data": _text(value)}

    def as_werkzeug(self, context, value):
        return {"data": _text(value)}


for _media_type in ("text/csv", "application/x-ndjson"):
    schemathesis.serializer(_media_type)(ImportFileSerializer)


def _cyclic_schemas(schemas):
    """The component schemas that reach themselves through `$ref`s (a tree's node)."""
    def refs(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_SCHEMAS):
                yield ref[len(_SCHEMAS):]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    graph = {name: set(refs(schema)) for name, schema in schemas.items()}
    cyclic = set()
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            name = todo.pop()
            if name == start:
                cyclic.add(start)
                break
            if name not in seen:
                seen.add(name)
                todo.extend(graph.get(name, ()))
    return cyclic


_SCHEMAS = "#/components/schemas/"


@schemathesis.hook
def before_load_schema(context, raw_schema):
    """Schemathesis 3.39 validates a response with `unevaluatedProperties` (a resource: `allOf` over `Meta` and
    its fields) by looking the `allOf`'s `$ref`s up in the response schema alone rather than in the document, and
    errors ("'/components/schemas/Meta' does not exist within …") on every answer that has a body. Schema
    `$ref`s are therefore replaced by the schemas they name before it reads the contract (a recursive schema
    keeps its `$ref`s), so that every answer's body is checked against its schema."""
    schemas = raw_schema.get("components", {}).get("schemas", {})
    cyclic = _cyclic_schemas(schemas)
    inlined = {}

    def inline(node):
        if isinstance(node, list):
            return [inline(value) for value in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SCHEMAS) and ref[len(_SCHEMAS):] not in cyclic:
            name = ref[len(_SCHEMAS):]
            if name not in inlined:
                inlined[name] = inline(schemas[name])
            siblings = {key: inline(value) for key, value in node.items() if key != "$ref"}
            if not siblings:
                return inlined[name]
            return {**siblings, "allOf": [*siblings.get("allOf", []), inlined[name]]}
        return {key: inline(value) for key, value in node.items()}

    for key in ("paths", "components"):
        if key in raw_schema:
            raw_schema[key] = inline(raw_schema[key])
