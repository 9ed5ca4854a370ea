"""Errors raised for malformed files written by the TypeScript synth (or edited by hand)."""

from __future__ import annotations

import os


class AgentFileError(ValueError):
    """A synthesised agent file is unreadable or does not match its contract.

    The message always names the file and, where one applies, the field (a JSON path such as
    ``system_auth_policy.resources.databricks.genie_space[0].name``), so a CLI can print it as is
    instead of a stack trace.

    Attributes:
        path: The file that was being read.
        field: JSON path of the offending field, or ``None`` for whole-file problems.
        problem: The problem alone, without file and field.
    """

    def __init__(self, path: str | os.PathLike[str], field: str | None, problem: str) -> None:
        self.path = os.fspath(path)
        self.field = field
        self.problem = problem
        where = f"{self.path}: {field}" if field else self.path
        super().__init__(f"{where}: {problem}")


class AuthPolicyFileError(AgentFileError):
    """``auth_policy.json`` is unreadable or is not MLflow's ``AuthPolicy.to_dict()`` form."""


class MetadataFileError(AgentFileError):
    """``metadata.json`` is unreadable or does not match the metadata contract."""
