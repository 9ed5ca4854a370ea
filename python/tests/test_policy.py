# mypy: disallow-untyped-calls=False
# (MLflow's to_dict() methods are unannotated; these tests call them on purpose.)
"""load_auth_policy: happy paths for every resource kind, MLflow's serialised form, and errors."""

from __future__ import annotations

import copy
import inspect
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mlflow
import pytest
from conftest import SAMPLE_POLICY
from mlflow.models import resources as mlflow_resources
from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy
from packaging.version import Version

from databricks_agent_auth import (
    RESOURCE_KINDS,
    AuthPolicyFileError,
    load_auth_policy,
    parse_auth_policy,
    required_mlflow_version,
)

#: The nine kinds the synth emits, with a realistic identifier each.
NINE_KINDS: dict[str, str] = {
    "serving_endpoint": "databricks-claude-sonnet-4",
    "vector_search_index": "main.docs.chunks_index",
    "sql_warehouse": "4b9b953939869799",
    "function": "main.tools.lookup_customer",
    "genie_space": "01f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4",
    "uc_connection": "github_mcp",
    "table": "main.billing.usage",
    "app": "cost-dashboard",
    "lakebase": "agent-memory",
}


def policy_with(databricks: dict[str, Any], scopes: list[str] | None = None) -> dict[str, Any]:
    return {
        "system_auth_policy": {"resources": {"api_version": "1", "databricks": databricks}},
        "user_auth_policy": {"api_scopes": scopes} if scopes else {},
    }


# --- MLflow's own serialised form (pins what the TypeScript side must write) -----------------


def test_mlflow_to_dict_shape_and_key_order() -> None:
    policy = AuthPolicy(
        system_auth_policy=SystemAuthPolicy(
            resources=[
                mlflow_resources.DatabricksGenieSpace(genie_space_id="x"),
                mlflow_resources.DatabricksTable(table_name="a.b.c"),
            ]
        ),
        user_auth_policy=UserAuthPolicy(api_scopes=["dashboards.genie"]),
    )
    d = policy.to_dict()
    assert d == {
        "system_auth_policy": {
            "resources": {
                "databricks": {"genie_space": [{"name": "x"}], "table": [{"name": "a.b.c"}]},
                "api_version": "1",
            }
        },
        "user_auth_policy": {"api_scopes": ["dashboards.genie"]},
    }
    # Insertion order: "databricks" before "api_version"; kinds in the order first added.
    assert list(d["system_auth_policy"]["resources"]) == ["databricks", "api_version"]
    assert list(d) == ["system_auth_policy", "user_auth_policy"]
    # No on_behalf_of_user unless the resource was constructed with it.
    assert "on_behalf_of_user" not in json.dumps(d)


def test_mlflow_to_dict_empty_sides() -> None:
    assert AuthPolicy().to_dict() == {"system_auth_policy": {}, "user_auth_policy": {}}
    # An empty resource list is NOT "{}": MLflow still writes the api_version.
    assert AuthPolicy(system_auth_policy=SystemAuthPolicy(resources=[])).to_dict() == {
        "system_auth_policy": {"resources": {"api_version": "1"}},
        "user_auth_policy": {},
    }
    assert AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=[])).to_dict() == {
        "system_auth_policy": {},
        "user_auth_policy": {"api_scopes": []},
    }


def test_mlflow_on_behalf_of_user_is_per_entry_and_optional() -> None:
    on = mlflow_resources.DatabricksTable(table_name="a.b.c", on_behalf_of_user=True).to_dict()
    off = mlflow_resources.DatabricksTable(table_name="a.b.c", on_behalf_of_user=False).to_dict()
    unset = mlflow_resources.DatabricksTable(table_name="a.b.c").to_dict()
    assert on == {"table": [{"name": "a.b.c", "on_behalf_of_user": True}]}
    assert off == {"table": [{"name": "a.b.c", "on_behalf_of_user": False}]}
    assert unset == {"table": [{"name": "a.b.c"}]}


@pytest.mark.parametrize("key", sorted(RESOURCE_KINDS))
def test_resource_kind_table_matches_installed_mlflow(key: str) -> None:
    kind = RESOURCE_KINDS[key]
    cls = getattr(mlflow_resources, kind.class_name)
    assert kind.arg in inspect.signature(cls).parameters
    assert cls(**{kind.arg: "x"}).to_dict() == {key: [{"name": "x"}]}
    assert Version(kind.min_mlflow) >= Version(kind.first_release)
    assert Version(mlflow.__version__) >= Version(kind.first_release)


def test_every_mlflow_resource_type_is_known() -> None:
    """Fails when an MLflow upgrade adds a resource kind: add it to lib/model/mlflow-kinds.json."""
    assert {t.value for t in mlflow_resources.ResourceType} == set(RESOURCE_KINDS)


# --- happy paths ---------------------------------------------------------------------------


def test_sample_policy_round_trips(write_json: Callable[..., Path]) -> None:
    path = write_json(SAMPLE_POLICY)
    policy = load_auth_policy(path)
    assert isinstance(policy, AuthPolicy)
    assert policy.to_dict() == SAMPLE_POLICY
    # Canonical (sorted-key) JSON is byte-identical, which is what the synth writes.
    assert json.dumps(policy.to_dict(), sort_keys=True) == json.dumps(SAMPLE_POLICY, sort_keys=True)


def test_all_nine_kinds_load_as_their_mlflow_classes(write_json: Callable[..., Path]) -> None:
    data = policy_with({key: [{"name": name}] for key, name in sorted(NINE_KINDS.items())})
    policy = load_auth_policy(write_json(data))
    assert policy.system_auth_policy is not None
    by_key = {r.type.value: r for r in policy.system_auth_policy.resources}
    assert set(by_key) == set(NINE_KINDS)
    for key, name in NINE_KINDS.items():
        resource = by_key[key]
        assert type(resource).__name__ == RESOURCE_KINDS[key].class_name
        assert isinstance(resource, getattr(mlflow_resources, RESOURCE_KINDS[key].class_name))
        assert resource.name == name
        assert resource.on_behalf_of_user is None
    assert policy.user_auth_policy is None
    assert policy.to_dict() == data


@pytest.mark.parametrize("key", sorted(NINE_KINDS))
def test_each_kind_alone_with_several_entries(key: str, write_json: Callable[..., Path]) -> None:
    entries = [{"name": f"{NINE_KINDS[key]}-{i}"} for i in range(3)]
    data = policy_with({key: entries}, ["serving.serving-endpoints"])
    policy = load_auth_policy(write_json(data))
    assert policy.to_dict() == data
    assert policy.user_auth_policy is not None
    assert policy.user_auth_policy.api_scopes == ["serving.serving-endpoints"]


def test_uc_model_service_is_accepted_too(write_json: Callable[..., Path]) -> None:
    data = policy_with({"uc_model_service": [{"name": "main.models.svc"}]})
    assert load_auth_policy(write_json(data)).to_dict() == data


def test_on_behalf_of_user_flag_round_trips(write_json: Callable[..., Path]) -> None:
    data = policy_with(
        {"table": [{"name": "a.b.c", "on_behalf_of_user": True}, {"name": "a.b.d", "on_behalf_of_user": False}]}
    )
    policy = load_auth_policy(write_json(data))
    assert policy.to_dict() == data


@pytest.mark.parametrize(
    ("data", "system_none", "user_none"),
    [
        ({"system_auth_policy": {}, "user_auth_policy": {}}, True, True),
        ({"system_auth_policy": {}, "user_auth_policy": {"api_scopes": ["apps.apps"]}}, True, False),
        ({"system_auth_policy": {"resources": {"api_version": "1"}}, "user_auth_policy": {}}, False, True),
    ],
)
def test_empty_sides(data: dict[str, Any], system_none: bool, user_none: bool, write_json: Callable[..., Path]) -> None:
    policy = load_auth_policy(write_json(data))
    assert (policy.system_auth_policy is None) is system_none
    assert (policy.user_auth_policy is None) is user_none
    assert policy.to_dict() == data


def test_file_order_is_kept(write_json: Callable[..., Path]) -> None:
    # Hand-written files need not be sorted; order is preserved through MLflow.
    data = policy_with({"table": [{"name": "z.z.z"}, {"name": "a.a.a"}], "app": [{"name": "b"}]}, ["b", "a"])
    assert load_auth_policy(write_json(data)).to_dict() == data


def test_accepts_pathlike_and_str(write_json: Callable[..., Path]) -> None:
    path = write_json(SAMPLE_POLICY)
    assert load_auth_policy(str(path)).to_dict() == load_auth_policy(path).to_dict()


# --- malformed files -------------------------------------------------------------------------

Mutator = Callable[[dict[str, Any]], Any]


def _set(path: list[Any], value: Any) -> Mutator:
    def mutate(d: dict[str, Any]) -> Any:
        target: Any = d
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        return d

    return mutate


def _delete(path: list[Any]) -> Mutator:
    def mutate(d: dict[str, Any]) -> Any:
        target: Any = d
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]
        return d

    return mutate


RES = ["system_auth_policy", "resources"]
DB = [*RES, "databricks"]
SCOPES = ["user_auth_policy", "api_scopes"]

MALFORMED: list[tuple[str, Mutator, str, str]] = [
    # (id, mutation of SAMPLE_POLICY, field named in the message, problem text)
    ("top-level-array", lambda d: [d], "(top level)", "expected an object, got array"),
    ("unknown-top-key", _set(["auth"], {}), "auth", "unknown key"),
    ("missing-user-side", _delete(["user_auth_policy"]), "user_auth_policy", "missing"),
    ("missing-system-side", _delete(["system_auth_policy"]), "system_auth_policy", "missing"),
    ("system-side-null", _set(["system_auth_policy"], None), "system_auth_policy", "expected an object, got null"),
    ("system-unknown-key", _set(["system_auth_policy", "resource"], {}), "system_auth_policy.resource", "unknown key"),
    ("system-other-key", _set(["system_auth_policy"], {"x": 1}), "system_auth_policy.x", "unknown key"),
    ("resources-array", _set(RES, []), "system_auth_policy.resources", "expected an object, got array"),
    ("api-version-missing", _delete([*RES, "api_version"]), "system_auth_policy.resources.api_version", "missing"),
    ("api-version-number", _set([*RES, "api_version"], 1), "system_auth_policy.resources.api_version", 'must be the string "1", got number 1'),
    ("api-version-2", _set([*RES, "api_version"], "2"), "system_auth_policy.resources.api_version", "got string '2'"),
    ("unknown-target", _set([*RES, "aws"], {}), "system_auth_policy.resources.aws", "unknown key"),
    ("databricks-array", _set(DB, []), "system_auth_policy.resources.databricks", "expected an object, got array"),
    ("databricks-empty", _set(DB, {}), "system_auth_policy.resources.databricks", "empty object"),
    ("unknown-resource-key", _set([*DB, "genie"], [{"name": "x"}]), "system_auth_policy.resources.databricks.genie", "unknown resource key 'genie'"),
    ("camel-case-key", _set([*DB, "sqlWarehouse"], [{"name": "x"}]), "databricks.sqlWarehouse", "unknown resource key"),
    ("entries-object", _set([*DB, "table"], {"name": "a.b.c"}), "databricks.table", "expected an array"),
    ("entries-empty", _set([*DB, "table"], []), "databricks.table", "empty array"),
    ("entry-string", _set([*DB, "table"], ["a.b.c"]), "databricks.table[0]", "expected an object, got string"),
    ("entry-without-name", _set([*DB, "table"], [{"table_name": "a.b.c"}]), "databricks.table[0].table_name", "unknown key"),
    ("entry-empty-object", _set([*DB, "table"], [{}]), "databricks.table[0].name", "missing"),
    ("name-number", _set([*DB, "sql_warehouse"], [{"name": 4}]), "databricks.sql_warehouse[0].name", "expected a string, got number"),
    ("name-empty", _set([*DB, "table"], [{"name": ""}]), "databricks.table[0].name", "non-empty"),
    ("name-padded", _set([*DB, "table"], [{"name": " a.b.c"}]), "databricks.table[0].name", "surrounding spaces"),
    ("name-duplicate", _set([*DB, "table"], [{"name": "a.b.c"}, {"name": "a.b.c"}]), "databricks.table[1].name", "duplicate table"),
    ("obo-string", _set([*DB, "table"], [{"name": "a.b.c", "on_behalf_of_user": "yes"}]), "databricks.table[0].on_behalf_of_user", "expected true or false, got string"),
    ("user-unknown-key", _set(["user_auth_policy", "scopes"], []), "user_auth_policy.scopes", "unknown key"),
    ("user-other-key", _set(["user_auth_policy"], {"x": []}), "user_auth_policy.x", "unknown key"),
    ("scopes-string", _set(SCOPES, "dashboards.genie"), "user_auth_policy.api_scopes", "expected an array of strings, got string"),
    ("scopes-empty", _set(SCOPES, []), "user_auth_policy.api_scopes", "empty array"),
    ("scope-number", _set(SCOPES, ["dashboards.genie", 7]), "user_auth_policy.api_scopes[1]", "scope must be a string, got number"),
    ("scope-null", _set(SCOPES, [None]), "user_auth_policy.api_scopes[0]", "scope must be a string, got null"),
    ("scope-empty", _set(SCOPES, [""]), "user_auth_policy.api_scopes[0]", "non-empty"),
    ("scope-space", _set(SCOPES, ["dashboards genie"]), "user_auth_policy.api_scopes[0]", "without spaces"),
    ("scope-duplicate", _set(SCOPES, ["sql", "sql"]), "user_auth_policy.api_scopes[1]", "duplicate scope 'sql'"),
]


@pytest.mark.parametrize(("mutate", "field", "problem"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_field_errors(
    mutate: Mutator, field: str, problem: str, write_json: Callable[..., Path]
) -> None:
    path = write_json(mutate(copy.deepcopy(SAMPLE_POLICY)))
    with pytest.raises(AuthPolicyFileError) as info:
        load_auth_policy(path)
    err = info.value
    assert isinstance(err, ValueError)
    message = str(err)
    assert message.startswith(f"{path}: "), message
    assert field in message, message
    assert problem in message, message
    assert err.path == str(path)
    assert err.field is not None and field in err.field
    # Never leaks a chained internal exception.
    assert err.__cause__ is None and (err.__context__ is None or err.__suppress_context__)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "invalid JSON: Expecting value (line 1, column 1)"),
        ('{"system_auth_policy": {}, "user_auth_policy": {}', "invalid JSON"),
        ("{'system_auth_policy': {}}", "invalid JSON"),
        ('{"system_auth_policy": {}, "user_auth_policy": {}, "user_auth_policy": {}}', "duplicate key 'user_auth_policy'"),
    ],
)
def test_unparseable_files(raw: str, problem: str, write_json: Callable[..., Path]) -> None:
    path = write_json(raw, raw=True)
    with pytest.raises(AuthPolicyFileError, match=re.escape(problem)) as info:
        load_auth_policy(path)
    assert str(info.value).startswith(f"{path}: ")
    assert info.value.field is None


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(AuthPolicyFileError, match="file not found"):
        load_auth_policy(tmp_path / "nope.json")
    # A directory is a stack directory: its mlflow.json is read.
    with pytest.raises(AuthPolicyFileError, match=r"mlflow\.json: file not found"):
        load_auth_policy(tmp_path, endpoint="cost-agent")


# --- the per-stack mlflow.json ----------------------------------------------------------------


def stack_dir(tmp_path: Path, entries: dict[str, Any]) -> Path:
    """A synthesized stack directory whose mlflow.json holds ``entries``."""
    directory = tmp_path / "cdktf.out" / "stacks" / "dev"
    directory.mkdir(parents=True)
    (directory / "mlflow.json").write_text(json.dumps(entries, indent=2), encoding="utf-8")
    return directory


def test_per_stack_file_and_exported_file_give_the_same_policy(tmp_path: Path, write_json: Callable[..., Path]) -> None:
    directory = stack_dir(tmp_path, {"cost-agent": {"auth_policy": SAMPLE_POLICY, "metadata": {}}})
    from_dir = load_auth_policy(directory, endpoint="cost-agent")
    from_file = load_auth_policy(directory / "mlflow.json", endpoint="cost-agent")
    exported = load_auth_policy(write_json(SAMPLE_POLICY))  # the positional, one-argument form still works
    assert from_dir.to_dict() == from_file.to_dict() == exported.to_dict() == SAMPLE_POLICY


def test_per_stack_file_needs_a_known_endpoint(tmp_path: Path, write_json: Callable[..., Path]) -> None:
    directory = stack_dir(
        tmp_path,
        {"cost-agent": {"auth_policy": SAMPLE_POLICY, "metadata": {}}, "sales-agent": {"metadata": {}}},
    )
    with pytest.raises(AuthPolicyFileError, match=r"endpoint= is needed to pick an endpoint; endpoints: cost-agent, sales-agent"):
        load_auth_policy(directory)
    with pytest.raises(AuthPolicyFileError, match=r"no endpoint 'cost'; endpoints: cost-agent, sales-agent"):
        load_auth_policy(directory, endpoint="cost")
    with pytest.raises(AuthPolicyFileError, match=r"mlflow\.json: sales-agent\.auth_policy: missing"):
        load_auth_policy(directory, endpoint="sales-agent")
    with pytest.raises(AuthPolicyFileError, match="endpoint= is for a stack directory or its mlflow.json"):
        load_auth_policy(write_json(SAMPLE_POLICY), endpoint="cost-agent")


def test_per_stack_file_errors_name_the_entry(tmp_path: Path) -> None:
    bad = {**SAMPLE_POLICY, "user_auth_policy": {"api_scopes": []}}
    directory = stack_dir(tmp_path, {"cost-agent": {"auth_policy": bad, "metadata": {}}})
    with pytest.raises(AuthPolicyFileError, match=r"mlflow\.json\[cost-agent\]: user_auth_policy\.api_scopes"):
        load_auth_policy(directory, endpoint="cost-agent")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "auth_policy.json"
    path.write_bytes(b'{"system_auth_policy": {}, "user_auth_policy": {"api_scopes": ["\xff"]}}')
    with pytest.raises(AuthPolicyFileError, match="not UTF-8"):
        load_auth_policy(path)


def test_mlflow_too_old_for_a_kind(monkeypatch: pytest.MonkeyPatch, write_json: Callable[..., Path]) -> None:
    monkeypatch.delattr(mlflow_resources, "DatabricksLakebase")
    path = write_json(policy_with({"lakebase": [{"name": "mem"}]}))
    with pytest.raises(AuthPolicyFileError, match=r"needs mlflow >= 3\.3\.2 \(DatabricksLakebase\); installed mlflow is"):
        load_auth_policy(path)


def test_parse_auth_policy_names_the_source() -> None:
    with pytest.raises(AuthPolicyFileError, match=r"^synth:stack/ep: user_auth_policy: missing"):
        parse_auth_policy({"system_auth_policy": {}}, "synth:stack/ep")


# --- minimum MLflow version per policy -------------------------------------------------------


@pytest.mark.parametrize(
    ("databricks", "scopes", "version", "reason"),
    [
        ({"table": [{"name": "a.b.c"}]}, None, "2.21.0", "AuthPolicy >= 2.21.0"),
        ({"table": [{"name": "a.b.c"}]}, ["sql"], "2.22.1", "user_auth_policy (OBO) >= 2.22.1"),
        ({"app": [{"name": "x"}]}, ["apps.apps"], "3.1.0", "app >= 3.1.0"),
        ({"lakebase": [{"name": "x"}], "app": [{"name": "y"}]}, None, "3.3.2", "lakebase >= 3.3.2"),
        ({"uc_model_service": [{"name": "x"}]}, None, "3.17.0", "uc_model_service >= 3.17.0"),
    ],
)
def test_required_mlflow_version(
    databricks: dict[str, Any], scopes: list[str] | None, version: str, reason: str
) -> None:
    needed, reasons = required_mlflow_version(parse_auth_policy(policy_with(databricks, scopes)))
    assert needed == Version(version)
    assert reason in reasons
