"""Python side of the cdktf Databricks agents library.

Reads what the TypeScript synth writes per stack, ``cdktf.out/stacks/<stack>/mlflow.json`` (every
endpoint's auth policy and metadata, by the endpoint's key), or an endpoint's exported
``auth_policy.json`` / ``metadata.json`` (``dba-export``), and turns them into MLflow objects:

* :func:`load_auth_policy` -> ``mlflow.models.auth_policy.AuthPolicy``
  (``load_auth_policy("cdktf.out/stacks/dev", endpoint="cost-agent")``, or an ``auth_policy.json``)
* :func:`load_metadata` -> :class:`AgentMetadata` (the same, or a ``metadata.json``)
* :func:`check_consistency` cross-checks the two.

and picks the right Databricks credentials at run time:

* :func:`is_in_model_serving`, :func:`workspace_client` (on-behalf-of-user only inside Model
  Serving; create the client inside ``predict``, per request);
* :func:`is_in_databricks_app`, :func:`app_workspace_client` (inside a Databricks App: the forwarded
  user token when the app declares user scopes, the app's identity otherwise).
"""

from .apps import app_workspace_client, forwarded_token, is_in_databricks_app
from .context import OboUnavailableError, is_in_model_serving, workspace_client
from .errors import AgentFileError, AuthPolicyFileError, MetadataFileError
from .kinds import RESOURCE_KINDS, ResourceKind
from .metadata import AgentMetadata, check_consistency, load_metadata, parse_metadata
from .policy import (
    load_auth_policy,
    parse_auth_policy,
    required_mlflow_version,
    resource_class,
)

__all__ = [
    "RESOURCE_KINDS",
    "app_workspace_client",
    "forwarded_token",
    "is_in_databricks_app",
    "AgentFileError",
    "AgentMetadata",
    "AuthPolicyFileError",
    "MetadataFileError",
    "OboUnavailableError",
    "ResourceKind",
    "check_consistency",
    "is_in_model_serving",
    "load_auth_policy",
    "load_metadata",
    "parse_auth_policy",
    "parse_metadata",
    "required_mlflow_version",
    "resource_class",
    "workspace_client",
]
