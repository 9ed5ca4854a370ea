"""Databricks Apps: the forwarded user token or the app's own identity.

Inside a Databricks App the platform sets ``DATABRICKS_APP_NAME`` (and, for the app's service principal,
``DATABRICKS_CLIENT_ID`` / ``DATABRICKS_CLIENT_SECRET``). With user authorization ("on behalf of the
user") it forwards the caller's token in the ``x-forwarded-access-token`` request header, downscoped to
the app's ``user_api_scopes``. ``AgentApp`` (the TypeScript construct) sets the application-level flag
``DATABRICKS_USE_IDENTITY_PASSTHROUGH=true`` in the app's ``app.yaml`` exactly when its policy reaches
something on behalf of the user, so that flag says whether the app declares user scopes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .context import OboUnavailableError

if TYPE_CHECKING:  # imported lazily: databricks.sdk takes ~1 s to import
    from databricks.sdk import WorkspaceClient

logger = logging.getLogger("databricks_agent_auth")

APP_NAME_ENV_VAR = "DATABRICKS_APP_NAME"
#: The header Databricks Apps forward the caller's token in.
FORWARDED_TOKEN_HEADER = "x-forwarded-access-token"
#: The application-level flag ``AgentApp`` sets when the app declares user scopes.
OBO_FLAG_ENV_VAR = "DATABRICKS_USE_IDENTITY_PASSTHROUGH"


def is_in_databricks_app(environ: Mapping[str, str] = os.environ) -> bool:
    """True when running inside a Databricks App (``DATABRICKS_APP_NAME`` is set and non-empty)."""
    return bool(environ.get(APP_NAME_ENV_VAR))


def forwarded_token(headers: Mapping[str, str] | None) -> str | None:
    """The caller's token from the request headers (the header name is case-insensitive), or None."""
    for name, value in (headers or {}).items():
        if name.lower() == FORWARDED_TOKEN_HEADER and value:
            return value
    return None


def app_workspace_client(
    headers: Mapping[str, str] | None,
    user_scopes: bool | None = None,
    environ: Mapping[str, str] = os.environ,
    **client_kwargs: Any,
) -> WorkspaceClient:
    """A ``WorkspaceClient`` for one request to a Databricks App.

    When the app declares user scopes, inside an app, the client acts as the caller with the forwarded
    token; otherwise (no user scopes, or outside an app: local runs, tests) the default identity, which
    inside an app is its own service principal. Create it per request. Credentials are never logged.

    Args:
        headers: The request's headers (e.g. ``request.headers`` in Flask, FastAPI or Streamlit's
            ``st.context.headers``).
        user_scopes: Whether the app declares user scopes; default: the ``DATABRICKS_USE_IDENTITY_PASSTHROUGH``
            flag ``AgentApp`` writes to ``app.yaml`` is ``"true"``.
        environ: Environment used for the decisions (default: the process environment).
        **client_kwargs: Passed to ``WorkspaceClient``.

    Raises:
        OboUnavailableError: inside an app that declares user scopes when the request carries no
            forwarded token (users have not consented to the scopes, or the app's compute was not
            restarted after they were set). Falling back would answer with the app's access.
    """
    from databricks.sdk import WorkspaceClient

    declared = environ.get(OBO_FLAG_ENV_VAR) == "true" if user_scopes is None else user_scopes
    in_app = is_in_databricks_app(environ)
    if declared and in_app:
        token = forwarded_token(headers)
        if token is None:
            raise OboUnavailableError(
                f"the app declares user scopes but the request has no {FORWARDED_TOKEN_HEADER} header "
                "(users must consent to the scopes; token forwarding needs a restart of the app's compute "
                "after the scopes change); refusing to fall back to the app's own identity"
            )
        host = client_kwargs.pop("host", None) or environ.get("DATABRICKS_HOST")
        client = WorkspaceClient(host=host, token=token, auth_type="pat", **client_kwargs)
        logger.info("workspace auth: on-behalf-of-user (Databricks App, forwarded token)")
        return client
    reason = "no user scopes declared" if in_app else "not in a Databricks App"
    client = WorkspaceClient(**client_kwargs)
    logger.info("workspace auth: app identity / default (%s, auth_type=%s)", reason, client.config.auth_type)
    return client
