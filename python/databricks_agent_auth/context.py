"""Execution-context detection and the choice between on-behalf-of-user and default auth.

Which variables are consulted, and why
--------------------------------------
Only ``IS_IN_DB_MODEL_SERVING_ENV`` and its legacy spelling ``IS_IN_DATABRICKS_MODEL_SERVING_ENV``,
compared case-sensitively with ``"true"``, with the same precedence as
``databricks_ai_bridge.ModelServingUserCredentials`` (``IS_IN_DB_...`` wins when it is set and
non-empty; the legacy one is read only otherwise). That credential strategy decides by exactly
this test whether to read the caller's token or to fall back to ``DefaultCredentials``; deciding
"OBO" on any other signal would produce a client that silently runs with the endpoint creator's
(service principal's) identity while we log "on-behalf-of-user".

Not used, although seed 000 lists them:

* ``DATABRICKS_SERVING_ENDPOINT``: read by none of MLflow, the Databricks SDK or
  databricks-ai-bridge (pinned versions); that Model Serving sets it is unconfirmed. Anyone can
  export it in a notebook or job, which would turn OBO on exactly where it fails ("You need
  'Can View' permission"), and the credential strategy ignores it anyway.
* ``MLFLOW_DEPLOYMENT_FLAVOR_NAME``: MLflow sets it for its SageMaker deployment container, to a
  *flavor name* (e.g. ``python_function``), never ``"databricks"``; it says nothing about
  Databricks Model Serving.
* ``DATABRICKS_USE_IDENTITY_PASSTHROUGH``: an application-level flag; the platform does not read it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported lazily: databricks.sdk takes ~1 s to import
    from databricks.sdk import WorkspaceClient

logger = logging.getLogger("databricks_agent_auth")

SERVING_ENV_VAR = "IS_IN_DB_MODEL_SERVING_ENV"
LEGACY_SERVING_ENV_VAR = "IS_IN_DATABRICKS_MODEL_SERVING_ENV"
#: ``WorkspaceClient.config.auth_type`` when ModelServingUserCredentials really uses the caller.
OBO_AUTH_TYPE = "model_serving_user_credentials"


class OboUnavailableError(RuntimeError):
    """OBO was asked for inside Model Serving but cannot be provided.

    Raised instead of falling back to default auth: inside Model Serving the default identity is
    the endpoint creator's, so a fallback would answer the user with someone else's data access.
    """


def is_in_model_serving(environ: Mapping[str, str] = os.environ) -> bool:
    """True when running inside Databricks Model Serving.

    Args:
        environ: Environment to inspect (default: the process environment).

    Returns:
        ``environ["IS_IN_DB_MODEL_SERVING_ENV"] == "true"``, or, when that is unset or empty,
        ``environ["IS_IN_DATABRICKS_MODEL_SERVING_ENV"] == "true"``. Case-sensitive, like
        databricks-ai-bridge (``"True"`` or ``"1"`` do not count).
    """
    value = environ.get(SERVING_ENV_VAR) or environ.get(LEGACY_SERVING_ENV_VAR) or "false"
    return value == "true"


def workspace_client(
    obo: bool = True, environ: Mapping[str, str] = os.environ, **client_kwargs: Any
) -> WorkspaceClient:
    """A ``WorkspaceClient`` acting for the calling user when that is possible, else default auth.

    Inside Model Serving with ``obo=True`` this returns
    ``WorkspaceClient(credentials_strategy=ModelServingUserCredentials())``; everywhere else
    (notebooks, jobs, evaluation, local runs, or ``obo=False``) a plain ``WorkspaceClient()``.

    Call it inside ``predict()`` / ``predict_stream()``, once per request: the caller's token only
    exists while a request is being served, so a client made at model-load time fails (or, made
    outside Model Serving, never acts for the user). Note that databricks-sdk 0.162 sends one
    ``GET {host}/.well-known/databricks-config`` while constructing any client.

    Args:
        obo: Ask for on-behalf-of-user auth; it is used only inside Model Serving.
        environ: Environment used for the Model Serving decision. ``ModelServingUserCredentials``
            reads ``os.environ`` itself; a mismatch is caught by the check below.
        **client_kwargs: Passed to ``WorkspaceClient`` (e.g. ``host``).

    Raises:
        OboUnavailableError: inside Model Serving with ``obo=True`` when databricks-ai-bridge is
            missing or the resulting client would not use the caller's credentials.
        ValueError: from the SDK when no credentials can be found, e.g. OBO outside ``predict``.
    """
    from databricks.sdk import WorkspaceClient

    if obo and is_in_model_serving(environ):
        try:
            from databricks_ai_bridge import ModelServingUserCredentials
        except ImportError as exc:
            raise OboUnavailableError(
                "on-behalf-of-user auth needs databricks-ai-bridge (>=0.6.0) in the model's "
                "pip_requirements; refusing to fall back to the endpoint creator's identity"
            ) from exc
        client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials(), **client_kwargs)
        if client.config.auth_type != OBO_AUTH_TYPE:
            raise OboUnavailableError(
                f"ModelServingUserCredentials resolved to auth type {client.config.auth_type!r}, "
                f"not {OBO_AUTH_TYPE!r} (the process environment does not say Model Serving); "
                "refusing to act with the endpoint creator's identity"
            )
        logger.info("workspace auth: on-behalf-of-user (Model Serving, auth_type=%s)", OBO_AUTH_TYPE)
        return client

    reason = "obo=False" if not obo else "not in Model Serving"
    client = WorkspaceClient(**client_kwargs)
    logger.info("workspace auth: default (%s, auth_type=%s)", reason, client.config.auth_type)
    return client
