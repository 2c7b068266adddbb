"""The JSON Schemas shipped as package data, and validators built once per process."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from licensecmp.resources import schema_text

LICENSE_SCHEMA = "license.schema.json"
POLICY_SCHEMA = "policy.schema.json"


@cache
def load(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_text(name))
    return schema


@cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load(name))
