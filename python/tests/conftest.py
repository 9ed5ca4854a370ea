"""Shared fixtures: offline guard, clean Databricks environment, JSON file helpers."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

PYTHON_DIR = Path(__file__).resolve().parents[1]

#: The example from the synth contract (keys sorted, entries sorted by name).
SAMPLE_POLICY: dict[str, Any] = {
    "system_auth_policy": {
        "resources": {
            "api_version": "1",
            "databricks": {
                "genie_space": [{"name": "01f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4"}],
                "serving_endpoint": [{"name": "databricks-claude-sonnet-4"}],
                "sql_warehouse": [{"name": "4b9b953939869799"}],
                "table": [{"name": "main.billing.usage"}],
            },
        }
    },
    "user_auth_policy": {"api_scopes": ["dashboards.genie", "serving.serving-endpoints"]},
}

SAMPLE_METADATA: dict[str, Any] = {
    "endpoint_name": "cost-agent",
    "min_mlflow_version": "2.22.1",
    "pip_requirements": ["mlflow>=2.22.1", "databricks-ai-bridge>=0.6.0"],
    "environment_variables": ["COST_GENIE_SPACE_ID", "DATABRICKS_USE_IDENTITY_PASSTHROUGH"],
    "on_behalf_of_user": True,
}


class NetworkAttempt(BaseException):
    """Raised by the offline guard. A BaseException so that SDK retry loops cannot swallow it."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any test that resolves a name or opens a socket connection; yields the attempts."""
    attempts: list[str] = []

    def refuse(what: str) -> Callable[..., Any]:
        def _refuse(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what}{args[1:] if what == 'connect' else args}")
            raise NetworkAttempt(f"network access attempted: {what} {args!r}")

        return _refuse

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    yield attempts
    assert attempts == [], f"network was attempted: {attempts}"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No Model Serving markers, no Databricks credentials or config file from the machine."""
    for name in list(os.environ):
        if name.startswith(("DATABRICKS_", "IS_IN_", "DB_MODEL_SERVING", "MLFLOW_DEPLOYMENT", "ARM_", "AZURE_", "GOOGLE_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABRICKS_CONFIG_FILE", str(tmp_path / "no-databrickscfg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return monkeypatch


@pytest.fixture
def invokers_token() -> Iterator[Callable[[str], None]]:
    """Simulate the caller's token that Model Serving hands the model during a request.

    databricks-ai-bridge reads it from ``mlflowserving`` when present, otherwise from the main
    thread's ``__dict__["invokers_token"]``; the fixture sets the latter and removes it afterwards.
    """
    thread_data = threading.main_thread().__dict__

    def _set(token: str) -> None:
        thread_data["invokers_token"] = token

    yield _set
    thread_data.pop("invokers_token", None)


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[..., Path]:
    """Write a value (or raw text) as a JSON file under tmp_path and return its path."""

    def _write(data: Any, name: str = "auth_policy.json", raw: bool = False) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data if raw else json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
        return path

    return _write
