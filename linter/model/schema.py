"""The JSON Schema of the YAML flow form, generated from the model (shipped in schema/)."""

from __future__ import annotations

import json


def flow_schema() -> dict:
    from linter.model.flow import Document

    schema = Document.model_json_schema(by_alias=True, mode="validation")
    _drop_spans(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "botlint flow file (*.flow.yaml)"
    return schema


def _drop_spans(node: object) -> None:
    """Source spans are filled in by the readers; a flow file never writes them."""
    if isinstance(node, dict):
        node.get("properties", {}).pop("span", None)
        node.get("properties", {}).pop("origin", None)
        node.get("properties", {}).pop("missing", None)
        node.get("properties", {}).pop("by_code", None)
        node.get("$defs", {}).pop("Span", None)
        node.get("$defs", {}).pop("MissingReference", None)
        for value in node.values():
            _drop_spans(value)
    elif isinstance(node, list):
        for value in node:
            _drop_spans(value)


def flow_schema_json() -> str:
    return json.dumps(flow_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
