#!/usr/bin/env python3
"""Checks every example in the OpenAPI contract against the schema it illustrates.

Usage: python3 tests/spec/check_examples.py [openapi/openapi.yaml]

Walks each operation's request body and responses (including `components/responses` they reference),
and validates every `example`/`examples` value of a JSON-like media type (JSON, merge-patch, problem+json;
an NDJSON example is one line, checked against the line's schema) against the media type's schema as
JSON Schema 2020-12 (OpenAPI 3.1), `$ref`s resolved within the document. Request examples may not carry
`readOnly` members, response examples no `writeOnly` ones. Schema-level `examples` are checked against
their own schema. Exits 1 and lists each mismatch when any example does not fit.
"""
import re
import sys

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC = sys.argv[1] if len(sys.argv) > 1 else "openapi/openapi.yaml"
BASE = "urn:salkku:openapi"
JSONLIKE = ("application/json", "application/merge-patch+json", "application/problem+json", "application/x-ndjson")


def load():
    # Keep dates and timestamps as strings, as a JSON client would see them.
    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    with open(SPEC, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


spec = load()
registry = Registry().with_resource(BASE, Resource(spec, specification=DRAFT202012))


def deref(node):
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
        ref, node = node["$ref"], spec
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def validator_for(schema, direction):
    forbidden = "readOnly" if direction == "request" else "writeOnly"

    def flag(validator, value, instance, schema):
        if value is True:
            yield jsonschema.ValidationError(f"{forbidden} member in a {direction} example")

    cls = jsonschema.validators.extend(jsonschema.Draft202012Validator, {forbidden: flag})
    return cls(rebase(schema), registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def check(where, schema, value, direction, problems):
    errors = sorted(validator_for(schema, direction).iter_errors(value), key=lambda e: list(e.absolute_path))
    for e in errors:
        while e.context:  # oneOf/anyOf: the deepest error of the branches says why
            e = max(e.context, key=lambda c: len(c.absolute_path))
        path = "/" + "/".join(str(p) for p in e.absolute_path)
        problems.append(f"{where}: at {path}: {e.message[:300]}")
    return len(errors)


def rebase(node):
    """Rewrites local `#/...` refs into refs to the registered document."""
    if isinstance(node, dict):
        return {k: (BASE + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else rebase(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [rebase(x) for x in node]
    return node


def examples_of(media):
    if "example" in media:
        yield "example", media["example"]
    for name, ex in (media.get("examples") or {}).items():
        ref = ex.get("$ref", "")
        ex = deref(ex)
        if "value" in ex:
            yield f"examples.{name}" + (f" ({ref.rsplit('/', 1)[-1]})" if ref else ""), ex["value"]


def main():
    problems, count = [], 0
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in ("get", "put", "post", "patch", "delete"):
                continue
            opid = op.get("operationId", f"{method} {path}")
            body = deref(op.get("requestBody", {}))
            for ct, media in (body.get("content") or {}).items():
                if ct not in JSONLIKE or "schema" not in media:
                    continue
                for name, value in examples_of(media):
                    count += 1
                    check(f"{opid} request {ct} {name}", media["schema"], value, "request", problems)
            for code, resp in op.get("responses", {}).items():
                label = resp.get("$ref", "").rsplit("/", 1)[-1]
                resp = deref(resp)
                for ct, media in (resp.get("content") or {}).items():
                    if ct not in JSONLIKE or "schema" not in media:
                        continue
                    for name, value in examples_of(media):
                        count += 1
                        check(f"{opid} {code}{' ' + label if label else ''} {ct} {name}", media["schema"], value,
                              "response", problems)
    for name, schema in spec["components"]["schemas"].items():
        for i, value in enumerate(schema.get("examples") or []):
            count += 1
            check(f"schema {name} examples[{i}]", {k: v for k, v in schema.items() if k not in ("readOnly", "writeOnly")},
                  value, "schema", problems)
    # An example in components/examples that no operation uses is probably stale.
    used = set()

    def collect(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/examples/"):
                used.add(ref.rsplit("/", 1)[-1])
            for v in node.values():
                collect(v)
        elif isinstance(node, list):
            for v in node:
                collect(v)

    collect(spec["paths"])
    collect(spec["components"].get("responses", {}))
    for name in spec["components"].get("examples", {}):
        if name not in used:
            problems.append(f"components/examples/{name}: used by no operation")
    # A plain 091 is a string to YAML 1.1 (PyYAML) but the integer 91 to YAML 1.2 readers: quote it.
    with open(SPEC, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if re.search(r"(:|-|,|\[|\{)\s+0[0-9]+\s*(,|\]|\}|$)", line.rstrip("\n")):
                problems.append(f"line {number}: a number with a leading zero is read differently by YAML 1.1 and 1.2; quote it")
    for p in problems:
        print(p)
    print(f"{count} examples checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
