"""app_workspace_client: the forwarded user token inside an app that declares user scopes, the app's
identity otherwise; never a credential in the logs. Offline (conftest ``no_network``)."""

from __future__ import annotations

import logging

import databricks.sdk.config as sdk_config
import pytest

from databricks_agent_auth import (
    OboUnavailableError,
    app_workspace_client,
    forwarded_token,
    is_in_databricks_app,
)

FAKE_HOST = "https://fake-workspace.cloud.databricks.com"
APP_CLIENT_ID = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
APP_CLIENT_SECRET = "dose-app-secret-0123456789"
USER_TOKEN = "user-token-forwarded-abcdef"


@pytest.fixture
def in_app(clean_env: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """What Databricks Apps set for an app's process: its name, the host, its service principal."""
    clean_env.setattr(sdk_config, "get_host_metadata", lambda *a, **k: (_ for _ in ()).throw(ValueError("off")))
    clean_env.setenv("DATABRICKS_APP_NAME", "health-monitor")
    clean_env.setenv("DATABRICKS_HOST", FAKE_HOST)
    clean_env.setenv("DATABRICKS_CLIENT_ID", APP_CLIENT_ID)
    clean_env.setenv("DATABRICKS_CLIENT_SECRET", APP_CLIENT_SECRET)
    return clean_env


def _no_secrets_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert USER_TOKEN not in caplog.text
    assert APP_CLIENT_SECRET not in caplog.text


def test_detection_and_header_lookup() -> None:
    assert is_in_databricks_app({"DATABRICKS_APP_NAME": "x"})
    assert not is_in_databricks_app({})
    assert not is_in_databricks_app({"DATABRICKS_APP_NAME": ""})
    assert forwarded_token({"X-Forwarded-Access-Token": USER_TOKEN}) == USER_TOKEN
    assert forwarded_token({"x-forwarded-access-token": ""}) is None
    assert forwarded_token(None) is None


def test_user_scopes_and_token_give_the_caller(in_app: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="databricks_agent_auth")
    in_app.setenv("DATABRICKS_USE_IDENTITY_PASSTHROUGH", "true")
    client = app_workspace_client({"X-Forwarded-Access-Token": USER_TOKEN})
    assert client.config.auth_type == "pat"
    assert client.config.authenticate() == {"Authorization": f"Bearer {USER_TOKEN}"}
    assert "on-behalf-of-user (Databricks App, forwarded token)" in caplog.text
    _no_secrets_logged(caplog)


def test_user_scopes_without_a_token_refuse_to_fall_back(in_app: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(OboUnavailableError, match="restart of the app's compute"):
        app_workspace_client({}, user_scopes=True)
    _no_secrets_logged(caplog)


def test_no_user_scopes_is_the_apps_identity(in_app: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # The app's OAuth M2M client resolves its token endpoint at construction (a network call): record the
    # construction instead; what matters is that no forwarded token reaches it.
    import databricks.sdk

    made: list[dict[str, object]] = []

    class Recorder:
        def __init__(self, **kwargs: object) -> None:
            made.append(kwargs)
            self.config = type("Config", (), {"auth_type": "oauth-m2m"})()

    in_app.setattr(databricks.sdk, "WorkspaceClient", Recorder)
    caplog.set_level(logging.INFO, logger="databricks_agent_auth")
    app_workspace_client({"X-Forwarded-Access-Token": USER_TOKEN})
    assert made == [{}]
    assert "app identity / default (no user scopes declared, auth_type=oauth-m2m)" in caplog.text
    _no_secrets_logged(caplog)


def test_outside_an_app_is_the_default_identity(clean_env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="databricks_agent_auth")
    clean_env.setattr(sdk_config, "get_host_metadata", lambda *a, **k: (_ for _ in ()).throw(ValueError("off")))
    clean_env.setenv("DATABRICKS_HOST", FAKE_HOST)
    clean_env.setenv("DATABRICKS_TOKEN", "dapi-fake-pat-0123456789")
    client = app_workspace_client({"x-forwarded-access-token": USER_TOKEN}, user_scopes=True)
    assert client.config.authenticate() == {"Authorization": "Bearer dapi-fake-pat-0123456789"}
    assert "not in a Databricks App" in caplog.text
    _no_secrets_logged(caplog)
