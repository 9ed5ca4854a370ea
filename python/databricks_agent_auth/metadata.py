"""Load an endpoint's metadata: its ``metadata`` in the stack's ``mlflow.json``, or a ``metadata.json``.

Contract (all keys required, no others)::

    {"endpoint_name": "cost-agent",
     "min_mlflow_version": "2.22.1",
     "pip_requirements": ["mlflow>=2.22.1", "databricks-ai-bridge>=0.6.0"],
     "environment_variables": ["COST_GENIE_SPACE_ID", "DATABRICKS_USE_IDENTITY_PASSTHROUGH"],
     "on_behalf_of_user": true}

``environment_variables`` lists names only: values live in the Terraform config of the endpoint.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from mlflow.models.auth_policy import AuthPolicy
from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

from ._json import read_target_json, type_name
from .errors import MetadataFileError
from .policy import required_mlflow_version

_ENDPOINT_NAME_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEYS = (
    "endpoint_name",
    "min_mlflow_version",
    "pip_requirements",
    "environment_variables",
    "on_behalf_of_user",
)
#: ``from databricks_ai_bridge import ModelServingUserCredentials`` works from this release on.
AI_BRIDGE_OBO_MIN_VERSION = "0.6.0"


@dataclass(frozen=True)
class AgentMetadata:
    """Validated content of ``metadata.json``."""

    endpoint_name: str
    min_mlflow_version: str
    pip_requirements: tuple[str, ...]
    environment_variables: tuple[str, ...]
    on_behalf_of_user: bool


def _string_list(path: str | os.PathLike[str], field: str, value: object) -> list[str]:
    if not isinstance(value, list):
        raise MetadataFileError(path, field, f"expected an array of strings, got {type_name(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise MetadataFileError(path, f"{field}[{index}]", f"expected a string, got {type_name(item)}")
    return list(value)


def parse_metadata(data: object, path: str | os.PathLike[str] = "<metadata>") -> AgentMetadata:
    """Validate already-parsed ``metadata.json`` content.

    Raises:
        MetadataFileError: a key is missing, unknown or of the wrong type, a requirement is not
            PEP 508, a version is not PEP 440, or an environment variable name is invalid.
    """
    if not isinstance(data, dict):
        raise MetadataFileError(path, "(top level)", f"expected an object, got {type_name(data)}")
    for key in data:
        if key not in _KEYS:
            raise MetadataFileError(path, key, f"unknown key (allowed: {', '.join(_KEYS)})")
    for key in _KEYS:
        if key not in data:
            raise MetadataFileError(path, key, "missing")

    name = data["endpoint_name"]
    if not isinstance(name, str) or not _ENDPOINT_NAME_RE.match(name):
        raise MetadataFileError(
            path, "endpoint_name", f"expected letters, digits, '-' or '_', got {name!r}"
        )

    min_version = data["min_mlflow_version"]
    if not isinstance(min_version, str):
        raise MetadataFileError(
            path, "min_mlflow_version", f"expected a string, got {type_name(min_version)}"
        )
    try:
        Version(min_version)
    except InvalidVersion:
        raise MetadataFileError(
            path, "min_mlflow_version", f"not a version: {min_version!r}"
        ) from None

    requirements = _string_list(path, "pip_requirements", data["pip_requirements"])
    for index, req in enumerate(requirements):
        try:
            Requirement(req)
        except InvalidRequirement as exc:
            raise MetadataFileError(
                path, f"pip_requirements[{index}]", f"not a pip requirement: {req!r} ({exc})"
            ) from None

    env_names = _string_list(path, "environment_variables", data["environment_variables"])
    for index, env_name in enumerate(env_names):
        if not _ENV_NAME_RE.match(env_name):
            raise MetadataFileError(
                path, f"environment_variables[{index}]", f"not an environment variable name: {env_name!r}"
            )

    obo = data["on_behalf_of_user"]
    if not isinstance(obo, bool):
        raise MetadataFileError(path, "on_behalf_of_user", f"expected true or false, got {type_name(obo)}")

    return AgentMetadata(
        endpoint_name=name,
        min_mlflow_version=min_version,
        pip_requirements=tuple(requirements),
        environment_variables=tuple(env_names),
        on_behalf_of_user=obo,
    )


def load_metadata(path: str | os.PathLike[str], endpoint: str | None = None) -> AgentMetadata:
    """Read and validate an endpoint's metadata.

    ``path`` is a synthesized stack directory or its ``mlflow.json`` with ``endpoint`` the endpoint's
    key there, or a ``metadata.json`` without ``endpoint`` (as :func:`load_auth_policy`).

    Raises:
        MetadataFileError: see :func:`parse_metadata`; also for unreadable files, bad JSON, or an
            unknown or missing ``endpoint``.
    """
    data, name = read_target_json(path, endpoint, "metadata", MetadataFileError)
    return parse_metadata(data, name)


def _requirement(metadata: AgentMetadata, name: str) -> Requirement | None:
    for req in metadata.pip_requirements:
        parsed = Requirement(req)
        if parsed.name.lower().replace("_", "-") == name:
            return parsed
    return None


def _lower_bound(req: Requirement) -> Version | None:
    """Highest lower bound among ``req``'s ``>=``, ``>``, ``==``, ``~=`` clauses, or ``None``."""
    floors: list[Version] = []
    for spec in req.specifier:
        if spec.operator in (">=", ">", "==", "~=", "==="):
            try:
                floors.append(Version(spec.version.rstrip(".*")))
            except InvalidVersion:
                continue
    return max(floors) if floors else None


def check_consistency(policy: AuthPolicy, metadata: AgentMetadata) -> list[str]:
    """Cross-check a policy and its metadata; return the problems found (empty if none).

    Checks: ``on_behalf_of_user`` agrees with a non-empty ``user_auth_policy``; OBO agents list
    ``databricks-ai-bridge`` with a lower bound >= 0.6.0; ``min_mlflow_version`` is at least
    what the policy needs (e.g. ``app`` needs 3.1.0, ``lakebase`` 3.3.2, OBO 2.22.1); an ``mlflow``
    (or ``mlflow-skinny``) requirement exists and does not allow releases below
    ``min_mlflow_version``.
    """
    problems: list[str] = []
    user = policy.user_auth_policy
    has_scopes = user is not None and bool(user.api_scopes)
    if metadata.on_behalf_of_user != has_scopes:
        problems.append(
            f"on_behalf_of_user is {str(metadata.on_behalf_of_user).lower()} but the auth policy "
            f"{'has' if has_scopes else 'has no'} user_auth_policy api_scopes"
        )
    if metadata.on_behalf_of_user:
        bridge = _requirement(metadata, "databricks-ai-bridge")
        if bridge is None:
            problems.append("on-behalf-of-user agents need databricks-ai-bridge in pip_requirements")
        else:
            floor = _lower_bound(bridge)
            if floor is None or floor < Version(AI_BRIDGE_OBO_MIN_VERSION):
                problems.append(
                    f"pip requirement {bridge} allows databricks-ai-bridge releases without "
                    f"ModelServingUserCredentials (use >={AI_BRIDGE_OBO_MIN_VERSION})"
                )
    needed, reasons = required_mlflow_version(policy)
    declared = Version(metadata.min_mlflow_version)
    if declared < needed:
        problems.append(
            f"min_mlflow_version {declared} is below {needed} needed for {', '.join(reasons)}"
        )
    mlflow_req = _requirement(metadata, "mlflow") or _requirement(metadata, "mlflow-skinny")
    if mlflow_req is None:
        problems.append("pip_requirements has no mlflow (or mlflow-skinny) requirement")
    else:
        floor = _lower_bound(mlflow_req)
        if floor is None or floor < declared:
            problems.append(
                f"pip requirement {mlflow_req} allows mlflow below min_mlflow_version {declared}"
            )
    return problems
