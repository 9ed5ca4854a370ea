"""workspace_client: mode selection with the real SDK and bridge, offline.

What construction needs (databricks-sdk 0.162.0, databricks-ai-bridge 0.22.0), as measured here:

* ``ModelServingUserCredentials()`` itself needs nothing (it only builds ``DefaultCredentials``).
* ``WorkspaceClient(...)`` resolves auth at construction. Outside Model Serving the bridge
  strategy delegates to ``DefaultCredentials`` (here a fake PAT from the environment).
* Inside Model Serving it needs the caller's token (from ``mlflowserving`` or the main thread's
  ``invokers_token``; only present during a request) and a host (``DATABRICKS_HOST`` or
  ``DATABRICKS_MODEL_SERVING_HOST_URL``). Without the token construction raises ``ValueError``.
* Whenever a host is configured before auth, ``Config`` sends ``GET {host}/.well-known/
  databricks-config`` (retrying up to its 300 s budget when unreachable); these tests replace
  ``databricks.sdk.config.get_host_metadata`` and refuse every socket (conftest ``no_network``).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

import databricks.sdk.config as sdk_config
import pytest
from databricks.sdk import WorkspaceClient
from databricks_ai_bridge import ModelServingUserCredentials

from databricks_agent_auth import OboUnavailableError, workspace_client

FAKE_HOST = "https://fake-workspace.cloud.databricks.com"
FAKE_PAT = "dapi-fake-pat-0123456789"
USER_TOKEN = "user-token-abcdef"


@pytest.fixture
def host_metadata_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the SDK's host-metadata probe (a network GET) and record its calls."""
    calls: list[str] = []

    def fake_get_host_metadata(host: str, client: object = None) -> object:
        calls.append(host)
        raise ValueError("host metadata disabled in tests")

    monkeypatch.setattr(sdk_config, "get_host_metadata", fake_get_host_metadata)
    return calls


@pytest.fixture
def fake_workspace(clean_env: pytest.MonkeyPatch, host_metadata_calls: list[str]) -> pytest.MonkeyPatch:
    clean_env.setenv("DATABRICKS_HOST", FAKE_HOST)
    clean_env.setenv("DATABRICKS_TOKEN", FAKE_PAT)
    return clean_env


def _no_secrets_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert FAKE_PAT not in caplog.text
    assert USER_TOKEN not in caplog.text


def test_strategy_construction_needs_nothing(clean_env: pytest.MonkeyPatch) -> None:
    strategy = ModelServingUserCredentials()
    assert strategy.auth_type() == "default"
    clean_env.setenv("IS_IN_DB_MODEL_SERVING_ENV", "true")
    assert strategy.auth_type() == "model_serving_user_credentials"


def test_outside_serving_uses_default_auth(
    fake_workspace: pytest.MonkeyPatch, host_metadata_calls: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="databricks_agent_auth")
    client = workspace_client()
    assert isinstance(client, WorkspaceClient)
    assert client.config.auth_type == "pat"
    assert client.config.authenticate() == {"Authorization": f"Bearer {FAKE_PAT}"}
    assert "workspace auth: default (not in Model Serving, auth_type=pat)" in caplog.text
    assert host_metadata_calls == [FAKE_HOST]  # one probe per client construction
    _no_secrets_logged(caplog)


@pytest.mark.parametrize(
    "env",
    [{"DATABRICKS_SERVING_ENDPOINT": "cost-agent"}, {"MLFLOW_DEPLOYMENT_FLAVOR_NAME": "databricks"}],
)
def test_seed_signals_do_not_turn_obo_on(
    env: dict[str, str], fake_workspace: pytest.MonkeyPatch, invokers_token: Callable[[str], None]
) -> None:
    invokers_token(USER_TOKEN)
    for name, value in env.items():
        fake_workspace.setenv(name, value)
    client = workspace_client()
    assert client.config.auth_type == "pat"


def test_inside_serving_uses_caller_credentials(
    fake_workspace: pytest.MonkeyPatch,
    invokers_token: Callable[[str], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="databricks_agent_auth")
    fake_workspace.setenv("IS_IN_DB_MODEL_SERVING_ENV", "true")
    invokers_token(USER_TOKEN)
    client = workspace_client()
    assert client.config.auth_type == "model_serving_user_credentials"
    # The caller's token, not the PAT that is also in the environment.
    assert client.config.authenticate() == {"Authorization": f"Bearer {USER_TOKEN}"}
    assert "workspace auth: on-behalf-of-user (Model Serving" in caplog.text
    _no_secrets_logged(caplog)


def test_inside_serving_legacy_variable_and_serving_host(
    clean_env: pytest.MonkeyPatch, host_metadata_calls: list[str], invokers_token: Callable[[str], None]
) -> None:
    clean_env.setenv("IS_IN_DATABRICKS_MODEL_SERVING_ENV", "true")
    clean_env.setenv("DATABRICKS_MODEL_SERVING_HOST_URL", FAKE_HOST)
    invokers_token(USER_TOKEN)
    client = workspace_client()
    assert client.config.auth_type == "model_serving_user_credentials"
    assert client.config.host == FAKE_HOST
    # The host only arrives during auth, after the metadata probe: no probe at all.
    assert host_metadata_calls == []


def test_inside_serving_obo_false_uses_default(
    fake_workspace: pytest.MonkeyPatch,
    invokers_token: Callable[[str], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="databricks_agent_auth")
    fake_workspace.setenv("IS_IN_DB_MODEL_SERVING_ENV", "true")
    invokers_token(USER_TOKEN)
    client = workspace_client(obo=False)
    assert client.config.auth_type == "pat"
    assert "workspace auth: default (obo=False, auth_type=pat)" in caplog.text


def test_inside_serving_without_request_token_fails_loudly(fake_workspace: pytest.MonkeyPatch) -> None:
    """What happens when the client is built at load time instead of inside predict()."""
    fake_workspace.setenv("IS_IN_DB_MODEL_SERVING_ENV", "true")
    with pytest.raises(ValueError, match=r"WorkspaceClient instantiation outside of predict\(\)"):
        workspace_client()


def test_environ_mismatch_is_refused(
    fake_workspace: pytest.MonkeyPatch, invokers_token: Callable[[str], None]
) -> None:
    """environ says Model Serving but os.environ does not: the bridge would use the PAT."""
    invokers_token(USER_TOKEN)
    with pytest.raises(OboUnavailableError, match="refusing to act with the endpoint creator's identity"):
        workspace_client(environ={"IS_IN_DB_MODEL_SERVING_ENV": "true"})


def test_environ_argument_can_turn_obo_off(
    fake_workspace: pytest.MonkeyPatch, invokers_token: Callable[[str], None]
) -> None:
    fake_workspace.setenv("IS_IN_DB_MODEL_SERVING_ENV", "true")
    invokers_token(USER_TOKEN)
    assert workspace_client(environ={}).config.auth_type == "pat"


def test_missing_bridge_is_refused_not_silently_downgraded(
    fake_workspace: pytest.MonkeyPatch, invokers_token: Callable[[str], None]
) -> None:
    fake_workspace.setenv("IS_IN_DB_MODEL_SERVING_ENV", "true")
    invokers_token(USER_TOKEN)
    fake_workspace.setitem(sys.modules, "databricks_ai_bridge", None)
    with pytest.raises(OboUnavailableError, match="needs databricks-ai-bridge"):
        workspace_client()


def test_missing_bridge_does_not_matter_outside_serving(fake_workspace: pytest.MonkeyPatch) -> None:
    fake_workspace.setitem(sys.modules, "databricks_ai_bridge", None)
    assert workspace_client().config.auth_type == "pat"


def test_client_kwargs_are_passed(fake_workspace: pytest.MonkeyPatch, host_metadata_calls: list[str]) -> None:
    other = "https://other-workspace.cloud.databricks.com"
    client = workspace_client(host=other)
    assert client.config.host == other
    assert host_metadata_calls == [other]


def test_no_credentials_outside_serving_is_the_sdks_error(
    clean_env: pytest.MonkeyPatch, host_metadata_calls: list[str]
) -> None:
    with pytest.raises(ValueError, match="default auth: cannot configure default credentials"):
        workspace_client()


def test_sdk_probes_the_host_when_constructing(clean_env: pytest.MonkeyPatch, no_network: list[str]) -> None:
    """Documents why host_metadata_calls exists: an unpatched client goes to the network."""
    from conftest import NetworkAttempt

    clean_env.setenv("DATABRICKS_HOST", FAKE_HOST)
    clean_env.setenv("DATABRICKS_TOKEN", FAKE_PAT)
    with pytest.raises(NetworkAttempt):
        WorkspaceClient()
    assert no_network and "fake-workspace.cloud.databricks.com" in no_network[0]
    no_network.clear()
