"""The README's Python blocks, executed as written (with log_model writing locally, no server)."""

from __future__ import annotations

import importlib
import json
import re
import types
from pathlib import Path
from typing import Any

import mlflow
import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)

POLICY = {
    "system_auth_policy": {
        "resources": {
            "api_version": "1",
            "databricks": {"serving_endpoint": [{"name": "databricks-claude-sonnet-4"}]},
        }
    },
    "user_auth_policy": {"api_scopes": ["dashboards.genie"]},
}
METADATA = {
    "endpoint_name": "health-monitor-agent",
    "min_mlflow_version": "2.22.1",
    "pip_requirements": ["databricks-ai-bridge>=0.6.0", "databricks-sdk>=0.49.0", "mlflow>=2.22.1"],
    "environment_variables": ["DATABRICKS_USE_IDENTITY_PASSTHROUGH"],
    "on_behalf_of_user": True,
}


def test_readme_has_the_two_python_blocks() -> None:
    assert len(BLOCKS) == 2
    assert "log_model" in BLOCKS[0] and "workspace_client" in BLOCKS[1]


def test_log_model_block_logs_exactly_the_synthesized_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tmp_path / "cdktf.out/stacks/health-monitor"
    stack.mkdir(parents=True)
    entries = {"health-monitor-agent": {"auth_policy": POLICY, "metadata": METADATA}}
    (stack / "mlflow.json").write_text(json.dumps(entries))
    (tmp_path / "agent.py").write_text(
        (Path(__file__).resolve().parents[1] / "roundtrip_model.py").read_text()
    )
    monkeypatch.chdir(tmp_path)
    seen: dict[str, Any] = {}

    def log_model(name: str, **kwargs: Any) -> None:
        # What log_model stores, without a tracking server: save_model writes the same MLmodel.
        assert "resources" not in kwargs
        seen.update(kwargs)
        importlib.import_module("mlflow.pyfunc").save_model(path=str(tmp_path / name), **kwargs)

    # mlflow.pyfunc is a lazy module proxy: patch the real module the README's code resolves.
    monkeypatch.setattr(importlib.import_module("mlflow.pyfunc"), "log_model", log_model)
    exec(compile(BLOCKS[0], "README.md", "exec"), {})
    assert list(seen["pip_requirements"]) == METADATA["pip_requirements"]
    import yaml

    mlmodel = yaml.safe_load((tmp_path / "agent" / "MLmodel").read_text())
    assert mlmodel["auth_policy"] == POLICY
    assert "resources" not in mlmodel


def test_predict_block_uses_the_default_identity_outside_model_serving(
    clean_env: pytest.MonkeyPatch,
) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(BLOCKS[1], "README.md", "exec"), namespace)
    calls: list[str] = []

    class FakeClient:
        current_user = types.SimpleNamespace(me=lambda: types.SimpleNamespace(user_name="alice@example.com"))

    def fake_workspace_client(*args: Any, **kwargs: Any) -> FakeClient:
        calls.append("workspace_client")
        return FakeClient()

    namespace["workspace_client"] = fake_workspace_client
    assert namespace["predict"](None, None, None) == "alice@example.com"
    assert calls == ["workspace_client"]
