"""Load ``auth_policy.json`` (MLflow's ``AuthPolicy.to_dict()`` form) into MLflow's own classes.

The file is what the TypeScript synth writes per serving endpoint, e.g.::

    {"system_auth_policy": {"resources": {"api_version": "1",
                                          "databricks": {"genie_space": [{"name": "01f0..."}],
                                                         "sql_warehouse": [{"name": "4b9b..."}]}}},
     "user_auth_policy": {"api_scopes": ["dashboards.genie"]}}

An empty side is ``{}`` (``AuthPolicy.to_dict()`` writes ``{}`` for a side that is ``None``).

The loader is stricter than MLflow's own ``_ResourceBuilder.from_dict`` on purpose: it accepts
exactly what ``to_dict()`` can produce, so that ``load_auth_policy(p).to_dict()`` equals the file's
content (dict equality; MLflow's key order is insertion order, ``databricks`` before
``api_version``, while the synth writes sorted keys).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from mlflow.models import resources as mlflow_resources
from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy
from mlflow.models.resources import DatabricksResource, Resource
from packaging.version import Version

from ._json import read_target_json, type_name
from .errors import AuthPolicyFileError
from .kinds import RESOURCE_KINDS  # from lib/model/mlflow-kinds.json, the file TypeScript reads too

#: ``mlflow.models.auth_policy`` (AuthPolicy, SystemAuthPolicy, UserAuthPolicy) first ships here.
AUTH_POLICY_MIN_MLFLOW = "2.21.0"
#: On-behalf-of-user end to end (a non-empty ``user_auth_policy``) needs this, per Databricks.
OBO_MIN_MLFLOW = "2.22.1"
#: The per-entry ``on_behalf_of_user`` flag of ``DatabricksResource`` first ships here.
ON_BEHALF_OF_USER_FIELD_MIN_MLFLOW = "2.20.0"

SUPPORTED_API_VERSION = "1"
_SCOPE_RE = re.compile(r"^\S+$")


def _fail(path: str | os.PathLike[str], field: str | None, problem: str) -> AuthPolicyFileError:
    return AuthPolicyFileError(path, field, problem)


def _expect_object(path: str | os.PathLike[str], field: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, field, f"expected an object, got {type_name(value)}")
    return value


def _check_keys(
    path: str | os.PathLike[str], field: str, obj: Mapping[str, Any], allowed: tuple[str, ...]
) -> None:
    for key in obj:
        if key not in allowed:
            raise _fail(
                path,
                f"{field}.{key}" if field else key,
                f"unknown key (allowed here: {', '.join(allowed)})",
            )


def resource_class(key: str) -> type[DatabricksResource] | None:
    """The installed MLflow's class for serialised resource ``key``, or ``None`` if unknown.

    Returns ``None`` both for keys this module does not know and for known keys whose class the
    installed MLflow is too old to have.
    """
    kind = RESOURCE_KINDS.get(key)
    if kind is None:
        return None
    cls = getattr(mlflow_resources, kind.class_name, None)
    return cls if isinstance(cls, type) and issubclass(cls, DatabricksResource) else None


def _installed_mlflow_version() -> str:
    import mlflow

    return str(mlflow.__version__)


def _parse_entries(
    path: str | os.PathLike[str], field: str, key: str, values: object
) -> list[DatabricksResource]:
    kind = RESOURCE_KINDS.get(key)
    if kind is None:
        raise _fail(
            path,
            field,
            f"unknown resource key {key!r} (known: {', '.join(sorted(RESOURCE_KINDS))})",
        )
    cls = resource_class(key)
    if cls is None:
        raise _fail(
            path,
            field,
            f"resource key {key!r} needs mlflow >= {kind.first_release} "
            f"({kind.class_name}); installed mlflow is {_installed_mlflow_version()}",
        )
    if not isinstance(values, list):
        raise _fail(path, field, f"expected an array of {{\"name\": ...}} entries, got {type_name(values)}")
    if not values:
        raise _fail(
            path, field, "empty array: MLflow never writes an empty list; omit the key instead"
        )
    seen: set[str] = set()
    result: list[DatabricksResource] = []
    for index, entry in enumerate(values):
        entry_field = f"{field}[{index}]"
        obj = _expect_object(path, entry_field, entry)
        _check_keys(path, entry_field, obj, ("name", "on_behalf_of_user"))
        if "name" not in obj:
            raise _fail(path, f"{entry_field}.name", "missing (each entry needs a \"name\")")
        name = obj["name"]
        if not isinstance(name, str):
            raise _fail(path, f"{entry_field}.name", f"expected a string, got {type_name(name)}")
        if not name or name != name.strip():
            raise _fail(
                path, f"{entry_field}.name", f"must be non-empty without surrounding spaces: {name!r}"
            )
        if name in seen:
            raise _fail(path, f"{entry_field}.name", f"duplicate {key} {name!r}")
        seen.add(name)
        kwargs: dict[str, Any] = {kind.arg: name}
        if "on_behalf_of_user" in obj:
            flag = obj["on_behalf_of_user"]
            if not isinstance(flag, bool):
                raise _fail(
                    path,
                    f"{entry_field}.on_behalf_of_user",
                    f"expected true or false, got {type_name(flag)}",
                )
            kwargs["on_behalf_of_user"] = flag
        result.append(cls(**kwargs))
    return result


def _parse_system(path: str | os.PathLike[str], value: object) -> SystemAuthPolicy | None:
    field = "system_auth_policy"
    obj = _expect_object(path, field, value)
    if not obj:
        return None
    _check_keys(path, field, obj, ("resources",))
    if "resources" not in obj:
        raise _fail(path, f"{field}.resources", "missing (use {} for no system policy)")
    field = f"{field}.resources"
    res = _expect_object(path, field, obj["resources"])
    _check_keys(path, field, res, ("api_version", "databricks"))
    if "api_version" not in res:
        raise _fail(path, f"{field}.api_version", f'missing (must be the string "{SUPPORTED_API_VERSION}")')
    api_version = res["api_version"]
    if api_version != SUPPORTED_API_VERSION or not isinstance(api_version, str):
        raise _fail(
            path,
            f"{field}.api_version",
            f'must be the string "{SUPPORTED_API_VERSION}", got {type_name(api_version)} {api_version!r}',
        )
    resources: list[Resource] = []
    if "databricks" in res:
        db_field = f"{field}.databricks"
        databricks = _expect_object(path, db_field, res["databricks"])
        if not databricks:
            raise _fail(
                path, db_field, "empty object: MLflow never writes one; omit \"databricks\" instead"
            )
        for key, values in databricks.items():
            resources.extend(_parse_entries(path, f"{db_field}.{key}", key, values))
    return SystemAuthPolicy(resources=resources)


def _parse_user(path: str | os.PathLike[str], value: object) -> UserAuthPolicy | None:
    field = "user_auth_policy"
    obj = _expect_object(path, field, value)
    if not obj:
        return None
    _check_keys(path, field, obj, ("api_scopes",))
    if "api_scopes" not in obj:
        raise _fail(path, f"{field}.api_scopes", "missing (use {} for no user policy)")
    field = f"{field}.api_scopes"
    scopes = obj["api_scopes"]
    if not isinstance(scopes, list):
        raise _fail(path, field, f"expected an array of strings, got {type_name(scopes)}")
    if not scopes:
        raise _fail(
            path,
            field,
            "empty array: an on-behalf-of-user policy without scopes fails only at run time; "
            "use \"user_auth_policy\": {} for no user policy",
        )
    seen: set[str] = set()
    for index, scope in enumerate(scopes):
        if not isinstance(scope, str):
            raise _fail(path, f"{field}[{index}]", f"scope must be a string, got {type_name(scope)}")
        if not _SCOPE_RE.match(scope):
            raise _fail(path, f"{field}[{index}]", f"scope must be non-empty without spaces: {scope!r}")
        if scope in seen:
            raise _fail(path, f"{field}[{index}]", f"duplicate scope {scope!r}")
        seen.add(scope)
    return UserAuthPolicy(api_scopes=list(scopes))


def parse_auth_policy(data: object, path: str | os.PathLike[str] = "<auth_policy>") -> AuthPolicy:
    """Build an MLflow ``AuthPolicy`` from already-parsed ``to_dict()`` JSON.

    Args:
        data: The parsed JSON value.
        path: Named in error messages.

    Raises:
        AuthPolicyFileError: ``data`` is not exactly the ``AuthPolicy.to_dict()`` form.
    """
    obj = _expect_object(path, "(top level)", data)
    _check_keys(path, "", obj, ("system_auth_policy", "user_auth_policy"))
    for side in ("system_auth_policy", "user_auth_policy"):
        if side not in obj:
            raise _fail(path, side, "missing (use {} for an empty side)")
    return AuthPolicy(
        system_auth_policy=_parse_system(path, obj["system_auth_policy"]),
        user_auth_policy=_parse_user(path, obj["user_auth_policy"]),
    )


def load_auth_policy(path: str | os.PathLike[str], endpoint: str | None = None) -> AuthPolicy:
    """Read an endpoint's auth policy and build it from MLflow's own classes.

    ``path`` is a synthesized stack directory (``cdktf.out/stacks/<stack>``) or its ``mlflow.json``,
    with ``endpoint`` the endpoint's key there (its name, as the report's ``endpoints[].mlflowKey``
    says); or an ``auth_policy.json`` (exported with ``dba-export``, or the per-target layout), without
    ``endpoint``.

    Each key under ``databricks`` maps to its ``mlflow.models.resources`` class (see
    :data:`RESOURCE_KINDS`), constructed with that class's own keyword (``genie_space_id=``,
    ``table_name=``, ...), so ``load_auth_policy(path).to_dict()`` equals the file's JSON.

    Raises:
        AuthPolicyFileError: unreadable file, invalid JSON, an unknown or missing ``endpoint``
            (the message lists the endpoints there are), or any field not in the
            ``to_dict()`` form: unknown key, ``api_version`` other than the string ``"1"``, an
            entry without ``"name"``, a scope that is not a string, empty or duplicate lists, ...
            The message names the file and the field.
    """
    data, name = read_target_json(path, endpoint, "auth_policy", AuthPolicyFileError)
    return parse_auth_policy(data, name)


def required_mlflow_version(policy: AuthPolicy) -> tuple[Version, list[str]]:
    """Lowest MLflow release able to log and serve ``policy``, with the reasons.

    Returns:
        ``(version, reasons)`` where each reason reads like ``"app >= 3.1.0"``.
    """
    needs: list[tuple[Version, str]] = [(Version(AUTH_POLICY_MIN_MLFLOW), f"AuthPolicy >= {AUTH_POLICY_MIN_MLFLOW}")]
    user = policy.user_auth_policy
    if user is not None and user.api_scopes:
        needs.append((Version(OBO_MIN_MLFLOW), f"user_auth_policy (OBO) >= {OBO_MIN_MLFLOW}"))
    system = policy.system_auth_policy
    for resource in system.resources if system is not None else []:
        kind = RESOURCE_KINDS.get(resource.type.value)
        if kind is not None:
            needs.append((Version(kind.min_mlflow), f"{kind.key} >= {kind.min_mlflow}"))
        if isinstance(resource, DatabricksResource) and resource.on_behalf_of_user is not None:
            needs.append(
                (
                    Version(ON_BEHALF_OF_USER_FIELD_MIN_MLFLOW),
                    f"on_behalf_of_user field >= {ON_BEHALF_OF_USER_FIELD_MIN_MLFLOW}",
                )
            )
    top = max(version for version, _ in needs)
    reasons = sorted({reason for version, reason in needs if version == top})
    return top, reasons
