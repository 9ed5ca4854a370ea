"""The resource kinds come from the one data file the TypeScript library reads (lib/model/mlflow-kinds.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PYTHON_DIR

import databricks_agent_auth
from databricks_agent_auth import RESOURCE_KINDS, AgentFileError
from databricks_agent_auth.kinds import KINDS_FILE_CANDIDATES, kinds_file, load_kinds

SHARED_FILE = PYTHON_DIR.parent / "lib" / "model" / "mlflow-kinds.json"


def test_the_table_is_the_shared_file() -> None:
    assert kinds_file() == SHARED_FILE.resolve()
    rows = json.loads(SHARED_FILE.read_text(encoding="utf-8"))["kinds"]
    assert list(RESOURCE_KINDS) == list(rows)
    for key, kind in RESOURCE_KINDS.items():
        assert kind.key == key
        assert (kind.class_name, kind.arg, kind.first_release, kind.min_mlflow) == (
            rows[key]["mlflowClass"],
            rows[key]["constructorArg"],
            rows[key]["firstRelease"],
            rows[key]["minMlflow"],
        )


def test_no_second_copy_in_the_repository() -> None:
    """A copy beside the package is only for a package copied out of the repository."""
    beside = Path(databricks_agent_auth.__file__).resolve().parent / "mlflow-kinds.json"
    assert beside == KINDS_FILE_CANDIDATES[1]
    assert not beside.exists()


def test_a_copy_beside_the_package_reads_the_same(tmp_path: Path) -> None:
    copy = tmp_path / "mlflow-kinds.json"
    copy.write_text(SHARED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_kinds(copy) == dict(RESOURCE_KINDS)


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "mlflow-kinds.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


ROW = {"mlflowClass": "DatabricksX", "constructorArg": "x_name", "firstRelease": "3.0.0", "minMlflow": "3.0.0"}


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        ({}, "kinds", "expected a non-empty object of kinds, got null"),
        ({"kinds": {}}, "kinds", "expected a non-empty object of kinds, got object"),
        ({"kinds": {"x": []}}, "kinds.x", "expected an object, got array"),
        ({"kinds": {"x": {**ROW, "constructorArg": ""}}}, "kinds.x.constructorArg", "missing"),
        ({"kinds": {"x": {k: v for k, v in ROW.items() if k != "mlflowClass"}}}, "kinds.x.mlflowClass", "missing"),
        ({"kinds": {"x": {**ROW, "minMlflow": "three"}}}, "kinds.x.minMlflow", "not a version: 'three'"),
    ],
)
def test_a_malformed_file_names_the_field(
    tmp_path: Path, data: object, field: str, problem: str
) -> None:
    with pytest.raises(AgentFileError) as caught:
        load_kinds(_write(tmp_path, data))
    assert caught.value.field == field
    assert problem in caught.value.problem


def test_a_missing_file_says_where_it_looks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import databricks_agent_auth.kinds as kinds

    monkeypatch.setattr(kinds, "KINDS_FILE_CANDIDATES", (tmp_path / "a.json", tmp_path / "b.json"))
    with pytest.raises(AgentFileError, match=r"lib/model/mlflow-kinds\.json.*copy that file to .*b\.json"):
        kinds.kinds_file()


def test_uc_model_service_loads_as_its_mlflow_class(tmp_path: Path) -> None:
    """Added once, in the shared file: the loader builds MLflow's class and reports MLflow >= 3.17.0."""
    from mlflow.models import resources as mlflow_resources

    from databricks_agent_auth import load_auth_policy, required_mlflow_version

    data = {
        "system_auth_policy": {
            "resources": {"api_version": "1", "databricks": {"uc_model_service": [{"name": "main.agents.chat"}]}}
        },
        "user_auth_policy": {},
    }
    path = tmp_path / "auth_policy.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    policy = load_auth_policy(path)
    assert policy.system_auth_policy is not None
    (resource,) = policy.system_auth_policy.resources
    assert isinstance(resource, mlflow_resources.DatabricksUCModelService)
    assert RESOURCE_KINDS["uc_model_service"].arg == "model_service_name"
    assert resource.to_dict() == {"uc_model_service": [{"name": "main.agents.chat"}]}  # type: ignore[no-untyped-call]
    version, reasons = required_mlflow_version(policy)
    assert str(version) == "3.17.0"
    assert reasons == ["uc_model_service >= 3.17.0"]
