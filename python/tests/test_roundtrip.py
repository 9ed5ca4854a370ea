"""roundtrip.py: policy file -> mlflow.pyfunc.save_model -> MLmodel, compared with the input."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import mlflow
import pytest
import yaml
from conftest import PYTHON_DIR, SAMPLE_METADATA, SAMPLE_POLICY
from test_policy import NINE_KINDS, policy_with

import roundtrip

SCRIPT = PYTHON_DIR / "roundtrip.py"
#: For models without metadata.json; avoids MLflow's requirement inference (a subprocess, ~2 s).
REQS = ["mlflow-skinny>=3.17"]


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def endpoint_dir(root: Path, stack: str, endpoint: str, policy: Any, metadata: Any = None) -> Path:
    """The endpoint's entry in ``stacks/<stack>/mlflow.json``, and its exported files (returned directory)."""
    mlflow_json = root / "stacks" / stack / "mlflow.json"
    mlflow_json.parent.mkdir(parents=True, exist_ok=True)
    entries = json.loads(mlflow_json.read_text()) if mlflow_json.exists() else {}
    entries[endpoint] = {"auth_policy": policy, **({"metadata": metadata} if metadata is not None else {})}
    mlflow_json.write_text(json.dumps(entries, indent=2, sort_keys=True))
    directory = root / "exported" / stack / endpoint
    directory.mkdir(parents=True)
    (directory / "auth_policy.json").write_text(json.dumps(policy, sort_keys=True))
    if metadata is not None:
        (directory / "metadata.json").write_text(json.dumps(metadata, sort_keys=True))
    return directory


def read_mlmodel(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict)
    return data


# --- the script, end to end (one subprocess per scenario) -------------------------------------


def test_cli_single_policy(tmp_path: Path) -> None:
    source = endpoint_dir(tmp_path / "cdktf.out", "dev", "cost-agent", SAMPLE_POLICY, SAMPLE_METADATA)
    out = tmp_path / "model"
    result = run_cli(source / "auth_policy.json", out)
    assert result.returncode == 0, result.stderr
    mlmodel = Path(result.stdout.strip().splitlines()[-1])
    assert mlmodel == out / "MLmodel"
    written = read_mlmodel(mlmodel)
    assert written["auth_policy"] == SAMPLE_POLICY
    assert "resources" not in written
    assert (out / "requirements.txt").read_text().split() == SAMPLE_METADATA["pip_requirements"]
    # The model is a real pyfunc: it loads and predicts without any server.
    assert mlflow.pyfunc.load_model(str(out)).predict(["hello"]) == ["hello"]


def test_main_single_mode_from_the_stack_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cdktf_out = tmp_path / "cdktf.out"
    endpoint_dir(cdktf_out, "dev", "cost-agent", SAMPLE_POLICY, SAMPLE_METADATA)
    stack = cdktf_out / "stacks" / "dev"
    out = tmp_path / "m"
    assert roundtrip.main([str(stack), str(out), "--endpoint", "cost-agent"]) == 0
    assert read_mlmodel(out / "MLmodel")["auth_policy"] == SAMPLE_POLICY
    assert (out / "requirements.txt").read_text().split() == SAMPLE_METADATA["pip_requirements"]
    capsys.readouterr()
    assert roundtrip.main([str(stack / "mlflow.json"), str(tmp_path / "m2")]) == 2
    assert "endpoint= is needed to pick an endpoint; endpoints: cost-agent" in capsys.readouterr().err


def test_mlmodel_yaml_text(tmp_path: Path) -> None:
    """The exact YAML MLflow writes for the sample policy (keys sorted by yaml.safe_dump)."""
    source = endpoint_dir(tmp_path / "in", "dev", "cost-agent", SAMPLE_POLICY, SAMPLE_METADATA)
    mlmodel = roundtrip.save_one(
        roundtrip.Job(source / "auth_policy.json", source / "metadata.json", tmp_path / "m")
    )
    text = mlmodel.read_text()
    block = text[: text.index("flavors:")]
    assert block == (
        "auth_policy:\n"
        "  system_auth_policy:\n"
        "    resources:\n"
        "      api_version: '1'\n"
        "      databricks:\n"
        "        genie_space:\n"
        "        - name: 01f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4\n"
        "        serving_endpoint:\n"
        "        - name: databricks-claude-sonnet-4\n"
        "        sql_warehouse:\n"
        "        - name: 4b9b953939869799\n"
        "        table:\n"
        "        - name: main.billing.usage\n"
        "  user_auth_policy:\n"
        "    api_scopes:\n"
        "    - dashboards.genie\n"
        "    - serving.serving-endpoints\n"
    )


def test_cli_all(tmp_path: Path) -> None:
    cdktf_out = tmp_path / "cdktf.out"
    obo_all = policy_with({k: [{"name": v}] for k, v in sorted(NINE_KINDS.items())}, ["apps.apps", "dashboards.genie"])
    obo_meta = {**SAMPLE_METADATA, "endpoint_name": "everything", "min_mlflow_version": "3.3.2",
                "pip_requirements": ["mlflow>=3.3.2", "databricks-ai-bridge>=0.6.0"]}
    system_only = {"system_auth_policy": {"resources": {"api_version": "1", "databricks": {"serving_endpoint": [{"name": "llm"}]}}},
                   "user_auth_policy": {}}
    endpoint_dir(cdktf_out, "dev", "cost-agent", SAMPLE_POLICY, SAMPLE_METADATA)
    endpoint_dir(cdktf_out, "dev", "everything", obo_all, obo_meta)
    endpoint_dir(cdktf_out, "prod", "plain", system_only)  # no metadata.json
    (cdktf_out / "stacks" / "prod" / "cdk.tf.json").write_text("{}")  # unrelated files are ignored

    out_root = tmp_path / "models"
    result = run_cli("--all", cdktf_out, out_root)
    assert result.returncode == 0, result.stderr
    paths = [Path(line) for line in result.stdout.split()]
    assert paths == [
        out_root / "dev" / "cost-agent" / "MLmodel",
        out_root / "dev" / "everything" / "MLmodel",
        out_root / "prod" / "plain" / "MLmodel",
    ]
    assert read_mlmodel(paths[0])["auth_policy"] == SAMPLE_POLICY
    assert read_mlmodel(paths[1])["auth_policy"] == obo_all
    assert read_mlmodel(paths[2])["auth_policy"] == system_only
    assert "databricks-ai-bridge>=0.6.0" in (paths[1].parent / "requirements.txt").read_text()
    # Without metadata MLflow infers requirements itself (the one slow save in this suite).
    assert "mlflow" in (paths[2].parent / "requirements.txt").read_text()


def test_cli_reports_all_failures_without_traceback(tmp_path: Path) -> None:
    cdktf_out = tmp_path / "cdktf.out"
    bad = copy.deepcopy(SAMPLE_POLICY)
    bad["system_auth_policy"]["resources"]["api_version"] = 1
    endpoint_dir(cdktf_out, "dev", "a-bad", bad)
    inconsistent = {**SAMPLE_METADATA, "endpoint_name": "b-inconsistent", "pip_requirements": ["mlflow>=2.22.1"]}
    endpoint_dir(cdktf_out, "dev", "b-inconsistent", SAMPLE_POLICY, inconsistent)
    endpoint_dir(cdktf_out, "dev", "c-good", SAMPLE_POLICY, {**SAMPLE_METADATA, "endpoint_name": "c-good"})
    result = run_cli("--all", cdktf_out, tmp_path / "models", "--pip-requirement", REQS[0])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    bad_path = f"{cdktf_out / 'stacks' / 'dev' / 'mlflow.json'}[a-bad]"
    assert (
        f"roundtrip: error: {bad_path}: system_auth_policy.resources.api_version: "
        "must be the string \"1\", got number 1" in result.stderr
    )
    assert "need databricks-ai-bridge in pip_requirements" in result.stderr
    assert result.stdout.split() == [str(tmp_path / "models" / "dev" / "c-good" / "MLmodel")]


# --- in-process checks (fast) -----------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(NINE_KINDS))
def test_each_kind_survives_save_model(key: str, tmp_path: Path) -> None:
    data = policy_with({key: [{"name": NINE_KINDS[key]}, {"name": NINE_KINDS[key] + "-2", "on_behalf_of_user": False}]})
    source = endpoint_dir(tmp_path / "in", "s", "e", data)
    mlmodel = roundtrip.save_one(
        roundtrip.Job(source / "auth_policy.json", None, tmp_path / "m"), default_pip_requirements=REQS
    )
    assert read_mlmodel(mlmodel)["auth_policy"] == data


@pytest.mark.parametrize(
    "data",
    [
        {"system_auth_policy": {}, "user_auth_policy": {}},
        {"system_auth_policy": {}, "user_auth_policy": {"api_scopes": ["mcp.genie"]}},
        {"system_auth_policy": {"resources": {"api_version": "1"}}, "user_auth_policy": {}},
    ],
)
def test_empty_sides_survive_save_model(data: dict[str, Any], tmp_path: Path) -> None:
    source = endpoint_dir(tmp_path / "in", "s", "e", data)
    mlmodel = roundtrip.save_one(
        roundtrip.Job(source / "auth_policy.json", None, tmp_path / "m"), default_pip_requirements=REQS
    )
    assert read_mlmodel(mlmodel)["auth_policy"] == data


def test_main_single_mode_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = endpoint_dir(tmp_path / "in", "s", "e", SAMPLE_POLICY, SAMPLE_METADATA)
    policy = source / "auth_policy.json"
    out = tmp_path / "m"

    assert roundtrip.main([str(policy), str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out / "MLmodel")

    # Existing model dir: refused, then replaced with --force.
    assert roundtrip.main([str(policy), str(out)]) == 2
    assert "exists and is not empty (--force replaces a previous model dir)" in capsys.readouterr().err
    assert roundtrip.main([str(policy), str(out), "--force"]) == 0
    capsys.readouterr()

    # A non-model directory is never deleted, even with --force.
    other = tmp_path / "precious"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    assert roundtrip.main([str(policy), str(other), "--force"]) == 2
    assert (other / "keep.txt").exists()
    capsys.readouterr()

    # Explicit metadata that disagrees: exit 1; --skip-consistency lets it through.
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps({**SAMPLE_METADATA, "on_behalf_of_user": False}))
    assert roundtrip.main([str(policy), str(tmp_path / "m2"), "--metadata", str(meta)]) == 1
    assert "on_behalf_of_user is false" in capsys.readouterr().err
    assert roundtrip.main([str(policy), str(tmp_path / "m3"), "--metadata", str(meta), "--skip-consistency"]) == 0
    capsys.readouterr()

    # --all on a directory with nothing in it.
    assert roundtrip.main(["--all", str(tmp_path / "empty-out"), str(tmp_path / "x")]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert roundtrip.main(["--all", str(empty), str(tmp_path / "x")]) == 2
    assert "no endpoint in any stacks/*/mlflow.json" in capsys.readouterr().err


def test_endpoint_name_must_match_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cdktf_out = tmp_path / "cdktf.out"
    endpoint_dir(cdktf_out, "dev", "renamed", SAMPLE_POLICY, SAMPLE_METADATA)  # says "cost-agent"
    assert roundtrip.main(["--all", str(cdktf_out), str(tmp_path / "models")]) == 1
    assert "endpoint_name 'cost-agent' does not match its key 'renamed'" in capsys.readouterr().err


def test_missing_policy_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert roundtrip.main([str(tmp_path / "nope.json"), str(tmp_path / "m")]) == 2
    assert capsys.readouterr().err == f"roundtrip: error: {tmp_path / 'nope.json'}: file not found\n"
