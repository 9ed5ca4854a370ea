"""is_in_model_serving: decision table, checked against databricks-ai-bridge's own test."""

from __future__ import annotations

import pytest
from databricks_ai_bridge.model_serving_obo_credential_strategy import (
    should_fetch_model_serving_environment_oauth,
)

from databricks_agent_auth import is_in_model_serving

# (environment, expected); every row is also checked against the credential strategy.
TABLE: list[tuple[dict[str, str], bool]] = [
    ({}, False),
    ({"IS_IN_DB_MODEL_SERVING_ENV": "true"}, True),
    ({"IS_IN_DB_MODEL_SERVING_ENV": "false"}, False),
    ({"IS_IN_DB_MODEL_SERVING_ENV": "True"}, False),  # case-sensitive, like the bridge
    ({"IS_IN_DB_MODEL_SERVING_ENV": "1"}, False),
    ({"IS_IN_DB_MODEL_SERVING_ENV": ""}, False),
    ({"IS_IN_DATABRICKS_MODEL_SERVING_ENV": "true"}, True),  # legacy name
    ({"IS_IN_DATABRICKS_MODEL_SERVING_ENV": "false"}, False),
    ({"IS_IN_DB_MODEL_SERVING_ENV": "", "IS_IN_DATABRICKS_MODEL_SERVING_ENV": "true"}, True),
    # The new name wins when set: the bridge would not use the caller's token here.
    ({"IS_IN_DB_MODEL_SERVING_ENV": "false", "IS_IN_DATABRICKS_MODEL_SERVING_ENV": "true"}, False),
    ({"IS_IN_DB_MODEL_SERVING_ENV": "true", "IS_IN_DATABRICKS_MODEL_SERVING_ENV": "false"}, True),
    # Seed 000 also used these; they are not Model Serving signals (see context.py).
    ({"DATABRICKS_SERVING_ENDPOINT": "cost-agent"}, False),
    ({"MLFLOW_DEPLOYMENT_FLAVOR_NAME": "databricks"}, False),
    ({"MLFLOW_DEPLOYMENT_FLAVOR_NAME": "python_function"}, False),
    ({"DATABRICKS_USE_IDENTITY_PASSTHROUGH": "true"}, False),
    (
        {
            "DATABRICKS_SERVING_ENDPOINT": "cost-agent",
            "MLFLOW_DEPLOYMENT_FLAVOR_NAME": "databricks",
            "DATABRICKS_USE_IDENTITY_PASSTHROUGH": "true",
        },
        False,
    ),
]


@pytest.mark.parametrize(("env", "expected"), TABLE, ids=[str(sorted(e.items())) for e, _ in TABLE])
def test_decision_table(env: dict[str, str], expected: bool, clean_env: pytest.MonkeyPatch) -> None:
    assert is_in_model_serving(env) is expected
    for name, value in env.items():
        clean_env.setenv(name, value)
    # Default argument reads the live process environment.
    assert is_in_model_serving() is expected
    # Same answer as the credential strategy that actually picks the token.
    assert should_fetch_model_serving_environment_oauth() is expected
