"""Strict JSON file reading shared by the policy and metadata loaders."""

from __future__ import annotations

import json
import os
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
