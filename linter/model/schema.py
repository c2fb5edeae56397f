"""The JSON Schema of the YAML flow form, generated from the model (shipped in schema/)."""

from __future__ import annotations

import json


def flow_schema() -> dict:
    from linter.model.flow import Document

    schema = Document.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "botlint flow file (*.flow.yaml)"
    return schema


def flow_schema_json() -> str:
    return json.dumps(flow_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
