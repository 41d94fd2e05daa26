"""TypeScript types generated from the OpenAPI spec, for the front ends (``extension/src/api.gen.ts``).

    python -m inngest_lab.server.openapi_ts            # rewrite extension/src/api.gen.ts
    python -m inngest_lab.server.openapi_ts --check    # exit 1 when the file is not what the spec generates

One type per component schema (``RunSummary``, ``Timeline``…) and ``ApiOperations``: per path and method, its
query, body and success reply types (``never`` for an operation whose success has no body). The translation covers the
JSON Schema the spec uses (``$ref``, ``type`` and type lists, ``enum``, ``const``, ``anyOf``/``oneOf``, ``allOf``,
``properties``/``required``, ``items``); an open schema (``{}``) is ``unknown``. A test keeps the committed file
equal to this output, and ``tsc`` checks it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from inngest_lab.server.openapi import spec

OUTPUT = Path(__file__).resolve().parents[2] / "extension" / "src" / "api.gen.ts"
HEADER = """\
/**
 * The inngest-lab HTTP API's types, generated from its OpenAPI spec (inngest_lab/server/openapi.py)
 * by `python -m inngest_lab.server.openapi_ts`. Do not edit: change the spec and regenerate.
 */
/* eslint-disable */
"""
_SCALARS = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean", "null": "null"}


def ts_type(schema: Mapping[str, Any], indent: int = 0) -> str:
    """The TypeScript type of one JSON Schema (as the spec writes them)."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "const" in schema:
        return _literal(schema["const"])
    if "enum" in schema:
        return " | ".join(_literal(v) for v in schema["enum"])
    for key, sep in (("anyOf", " | "), ("oneOf", " | "), ("allOf", " & ")):
        if key in schema:
            return sep.join(_grouped(ts_type(s, indent)) for s in schema[key])
    types = schema.get("type")
    if types is None:
        return "unknown"
    names = types if isinstance(types, list) else [types]
    return " | ".join(_one(schema, str(t), indent) for t in names)


def _one(schema: Mapping[str, Any], kind: str, indent: int) -> str:
    if kind == "array":
        return f"Array<{ts_type(schema.get('items', {}), indent)}>"
    if kind != "object":
        return _SCALARS[kind]
    props: Mapping[str, Any] = schema.get("properties", {})
    if not props:
        return "Record<string, unknown>"
    required = set(schema.get("required", []))
    pad = "  " * (indent + 1)
    lines = [
        f"{pad}{_key(name)}{'' if name in required else '?'}: {ts_type(sub, indent + 1)};"
        for name, sub in props.items()
    ]
    return "{\n" + "\n".join(lines) + "\n" + "  " * indent + "}"


def _grouped(text: str) -> str:
    return f"({text})" if (" | " in text or " & " in text) and not text.startswith("{") else text


def _key(name: str) -> str:
    return name if name.isidentifier() else _literal(name)


def _literal(value: object) -> str:
    """A TypeScript literal, strings single-quoted as the front end's code writes them."""
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return json.dumps(value)


def _operation(op: Mapping[str, Any], indent: int) -> str:
    pad = "  " * (indent + 1)
    query = [p for p in op.get("parameters", []) if p["in"] == "query"]
    path = [p for p in op.get("parameters", []) if p["in"] == "path"]
    parts = []
    if path:
        fields = "; ".join(f"{_key(p['name'])}: string" for p in path)
        parts.append(f"{pad}path: {{ {fields} }};")
    if query:
        fields = "; ".join(f"{_key(p['name'])}?: {ts_type(p['schema'], indent + 1)}" for p in query)
        parts.append(f"{pad}query: {{ {fields} }};")
    if "requestBody" in op:
        [media] = op["requestBody"]["content"].values()
        optional = "" if op["requestBody"].get("required") else "?"
        parts.append(f"{pad}body{optional}: {ts_type(media['schema'], indent + 1)};")
    ok = next((r for status, r in sorted(op["responses"].items()) if status.startswith("2") and "content" in r), None)
    reply = ts_type(next(iter(ok["content"].values()))["schema"], indent + 1) if ok else "never"
    parts.append(f"{pad}reply: {reply};")
    return "{\n" + "\n".join(parts) + "\n" + "  " * indent + "}"


def generate(document: Mapping[str, Any] | None = None) -> str:
    """The whole ``api.gen.ts`` for ``document`` (default: the API's spec)."""
    doc = document if document is not None else spec()
    out = [HEADER]
    for name, schema in doc["components"]["schemas"].items():
        description = schema.get("description")
        if description:
            out.append(f"/** {description} */")
        out.append(f"export type {name} = {ts_type(schema)};\n")
    out.append("/** Per path and method: path parameters, query, body and the 200 reply. */")
    out.append("export interface ApiOperations {")
    for path, item in doc["paths"].items():
        methods = [f"    {method}: {_operation(op, 2)};" for method, op in item.items()]
        out.append(f"  {_literal(path)}: {{\n" + "\n".join(methods) + "\n  };")
    out.append("}\n")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate extension/src/api.gen.ts from the OpenAPI spec.")
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date: run python -m inngest_lab.server.openapi_ts", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
