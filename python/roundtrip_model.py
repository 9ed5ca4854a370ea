"""Trivial MLflow "model from code" used by roundtrip.py: echoes its input.

MLflow executes this file when saving (models-from-code, the recommended way to log agents);
it is not meant to be imported.
"""

from __future__ import annotations

from typing import Any

import mlflow
from mlflow.pyfunc.model import PythonModel


class EchoModel(PythonModel):
    """Returns its input unchanged."""

    def predict(
        self, context: Any, model_input: list[str], params: dict[str, Any] | None = None
    ) -> list[str]:
        """Echo ``model_input``."""
        return model_input


mlflow.models.set_model(EchoModel())
