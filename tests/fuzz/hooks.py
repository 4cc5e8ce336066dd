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
