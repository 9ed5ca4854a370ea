"""Strict JSON file reading shared by the policy and metadata loaders."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import AgentFileError


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def read_json_file(path: str | os.PathLike[str], error: type[AgentFileError]) -> Any:
    """Read ``path`` as UTF-8 JSON, raising ``error`` (never a bare exception) on any problem.

    Duplicate keys in an object are rejected: ``json`` would otherwise keep the last one silently,
    which hides hand-editing mistakes.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise error(path, None, "file not found") from None
    except IsADirectoryError:
        raise error(path, None, "is a directory, expected a JSON file") from None
    except UnicodeDecodeError as exc:
        raise error(path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise error(path, None, f"cannot read file: {exc.strerror or exc}") from None
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise error(
            path, None, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except _DuplicateKey as exc:
        raise error(path, None, f"invalid JSON: duplicate key {exc.key!r} in an object") from None


def type_name(value: object) -> str:
    """JSON-flavoured name of a parsed value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


#: The per-stack file the synth writes beside ``cdk.tf.json``: every endpoint's ``auth_policy`` and
#: ``metadata``, keyed by the endpoint's key (the report's ``endpoints[].mlflowKey``).
MLFLOW_FILE = "mlflow.json"


def is_stack_source(path: str | os.PathLike[str]) -> bool:
    """``path`` names a stack directory or its ``mlflow.json`` (not a per-target file)."""
    p = Path(path)
    return p.is_dir() or p.name == MLFLOW_FILE


def read_target_json(
    path: str | os.PathLike[str],
    endpoint: str | None,
    field: str,
    error: type[AgentFileError],
) -> tuple[Any, str]:
    """The JSON of one endpoint's ``field`` (``"auth_policy"`` or ``"metadata"``), and the name to report.

    ``path`` is a stack directory or its ``mlflow.json`` (then ``endpoint`` picks the entry), or a
    per-target file (``auth_policy.json``, ``metadata.json``, e.g. from ``dba-export``), read as it is.
    Problems raise ``error`` naming the file, the entry and the keys there are.
    """
    if not is_stack_source(path):
        if endpoint is not None:
            raise error(path, None, f"endpoint= is for a stack directory or its {MLFLOW_FILE}, not a per-target file")
        return read_json_file(path, error), os.fspath(path)
    file = Path(path) / MLFLOW_FILE if Path(path).is_dir() else Path(path)
    data = read_json_file(file, error)
    if not isinstance(data, dict):
        raise error(file, None, f"expected an object keyed by endpoint, got {type_name(data)}")
    keys = ", ".join(sorted(data)) or "none"
    if endpoint is None:
        raise error(file, None, f"endpoint= is needed to pick an endpoint; endpoints: {keys}")
    if endpoint not in data:
        raise error(file, None, f"no endpoint {endpoint!r}; endpoints: {keys} (the report's endpoints[].mlflowKey)")
    entry = data[endpoint]
    if not isinstance(entry, dict) or field not in entry:
        raise error(file, f"{endpoint}.{field}", "missing")
    return entry[field], f"{file}[{endpoint}]"
