"""load_metadata and check_consistency."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_METADATA, SAMPLE_POLICY

from databricks_agent_auth import (
    AgentMetadata,
    MetadataFileError,
    check_consistency,
    load_metadata,
    parse_auth_policy,
)


def test_load_sample(write_json: Callable[..., Path]) -> None:
    meta = load_metadata(write_json(SAMPLE_METADATA, "metadata.json"))
    assert meta == AgentMetadata(
        endpoint_name="cost-agent",
        min_mlflow_version="2.22.1",
        pip_requirements=("mlflow>=2.22.1", "databricks-ai-bridge>=0.6.0"),
        environment_variables=("COST_GENIE_SPACE_ID", "DATABRICKS_USE_IDENTITY_PASSTHROUGH"),
        on_behalf_of_user=True,
    )


def _with(key: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE_METADATA)
    data[key] = value
    return data


def _without(key: str) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE_METADATA)
    del data[key]
    return data


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        ([], "(top level)", "expected an object"),
        (_with("extra", 1), "extra", "unknown key"),
        (_without("pip_requirements"), "pip_requirements", "missing"),
        (_with("endpoint_name", "cost agent"), "endpoint_name", "letters, digits"),
        (_with("endpoint_name", 3), "endpoint_name", "letters, digits"),
        (_with("min_mlflow_version", 2.22), "min_mlflow_version", "expected a string, got number"),
        (_with("min_mlflow_version", "latest"), "min_mlflow_version", "not a version"),
        (_with("pip_requirements", "mlflow"), "pip_requirements", "expected an array of strings"),
        (_with("pip_requirements", ["mlflow", 1]), "pip_requirements[1]", "expected a string"),
        (_with("pip_requirements", ["mlflow>=>2"]), "pip_requirements[0]", "not a pip requirement"),
        (_with("environment_variables", ["1BAD"]), "environment_variables[0]", "not an environment variable name"),
        (_with("environment_variables", ["A=b"]), "environment_variables[0]", "not an environment variable name"),
        (_with("on_behalf_of_user", "true"), "on_behalf_of_user", "expected true or false, got string"),
    ],
)
def test_malformed_metadata(data: Any, field: str, problem: str, write_json: Callable[..., Path]) -> None:
    path = write_json(data, "metadata.json")
    with pytest.raises(MetadataFileError) as info:
        load_metadata(path)
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert message.startswith(f"{path}: {field}: "), message
    assert problem in message, message


def test_metadata_bad_json(write_json: Callable[..., Path]) -> None:
    path = write_json("{", "metadata.json", raw=True)
    with pytest.raises(MetadataFileError, match="invalid JSON"):
        load_metadata(path)


# --- consistency -----------------------------------------------------------------------------


def _meta(**changes: Any) -> AgentMetadata:
    data = {**SAMPLE_METADATA, **changes}
    return AgentMetadata(
        endpoint_name=data["endpoint_name"],
        min_mlflow_version=data["min_mlflow_version"],
        pip_requirements=tuple(data["pip_requirements"]),
        environment_variables=tuple(data["environment_variables"]),
        on_behalf_of_user=data["on_behalf_of_user"],
    )


def _policy(databricks: dict[str, Any] | None = None, scopes: list[str] | None = None) -> Any:
    data = copy.deepcopy(SAMPLE_POLICY)
    if databricks is not None:
        data["system_auth_policy"]["resources"]["databricks"] = databricks
    if scopes is not None:
        data["user_auth_policy"] = {"api_scopes": scopes} if scopes else {}
    return parse_auth_policy(data)


def test_consistent_sample() -> None:
    assert check_consistency(_policy(), _meta()) == []


@pytest.mark.parametrize(
    ("policy_kwargs", "meta_kwargs", "problem"),
    [
        ({"scopes": []}, {}, "on_behalf_of_user is true but the auth policy has no user_auth_policy"),
        ({}, {"on_behalf_of_user": False, "pip_requirements": ["mlflow>=2.22.1"]}, "on_behalf_of_user is false but the auth policy has user_auth_policy"),
        ({}, {"pip_requirements": ["mlflow>=2.22.1"]}, "need databricks-ai-bridge"),
        ({}, {"pip_requirements": ["mlflow>=2.22.1", "databricks-ai-bridge"]}, "without ModelServingUserCredentials"),
        ({}, {"pip_requirements": ["mlflow>=2.22.1", "databricks-ai-bridge>=0.4.0"]}, "use >=0.6.0"),
        ({}, {"min_mlflow_version": "2.21.0", "pip_requirements": ["mlflow>=2.21.0", "databricks-ai-bridge>=0.6.0"]}, "below 2.22.1 needed for user_auth_policy (OBO) >= 2.22.1"),
        ({"databricks": {"app": [{"name": "x"}]}}, {}, "below 3.1.0 needed for app >= 3.1.0"),
        ({"databricks": {"lakebase": [{"name": "x"}]}}, {}, "below 3.3.2 needed for lakebase >= 3.3.2"),
        ({}, {"pip_requirements": ["databricks-ai-bridge>=0.6.0"]}, "no mlflow (or mlflow-skinny) requirement"),
        ({}, {"pip_requirements": ["mlflow", "databricks-ai-bridge>=0.6.0"]}, "allows mlflow below min_mlflow_version"),
        ({}, {"pip_requirements": ["mlflow>=2.20", "databricks-ai-bridge>=0.6.0"]}, "allows mlflow below min_mlflow_version 2.22.1"),
    ],
)
def test_inconsistencies(policy_kwargs: dict[str, Any], meta_kwargs: dict[str, Any], problem: str) -> None:
    problems = check_consistency(_policy(**policy_kwargs), _meta(**meta_kwargs))
    assert any(problem in p for p in problems), problems


def test_mlflow_skinny_and_exact_pins_count() -> None:
    meta = _meta(pip_requirements=["mlflow-skinny==3.17.2", "databricks-ai-bridge==0.22.0"], min_mlflow_version="3.3.2")
    assert check_consistency(_policy({"lakebase": [{"name": "x"}]}), meta) == []


def test_system_only_agent() -> None:
    meta = _meta(on_behalf_of_user=False, pip_requirements=["mlflow>=2.21.0"], min_mlflow_version="2.21.0")
    assert check_consistency(_policy(scopes=[]), meta) == []


def test_metadata_from_the_per_stack_file_or_an_exported_file(
    tmp_path: Path, write_json: Callable[..., Path]
) -> None:
    directory = tmp_path / "stacks" / "dev"
    directory.mkdir(parents=True)
    entries = {"cost-agent": {"auth_policy": SAMPLE_POLICY, "metadata": SAMPLE_METADATA}}
    (directory / "mlflow.json").write_text(json.dumps(entries), encoding="utf-8")
    from_stack = load_metadata(directory, endpoint="cost-agent")
    assert from_stack == load_metadata(write_json(SAMPLE_METADATA, "metadata.json"))
    with pytest.raises(MetadataFileError, match="no endpoint 'other'; endpoints: cost-agent"):
        load_metadata(directory / "mlflow.json", endpoint="other")
