"""The MLflow resource kinds, read from the one data file the TypeScript library reads too.

The file is ``lib/model/mlflow-kinds.json`` of this repository (the TypeScript package ships it in
``dist/``). ``python/`` is not published on its own: it is used from a checkout, beside ``lib/``, so
this module finds the file at ``<repo>/lib/model/mlflow-kinds.json``. Where the package directory is
copied without the repository (for example into a model's ``code_paths``), copy that file next to
``__init__.py`` as ``mlflow-kinds.json``; it is the second place looked at. Nothing else holds the
table: a kind is added to the JSON file once, for both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from ._json import read_json_file, type_name
from .errors import AgentFileError

#: Where the data file is looked for, in order: this repository's copy, then one beside the package.
KINDS_FILE_CANDIDATES: tuple[Path, ...] = (
    Path(__file__).resolve().parents[2] / "lib" / "model" / "mlflow-kinds.json",
    Path(__file__).resolve().parent / "mlflow-kinds.json",
)

_COLUMNS = ("mlflowClass", "constructorArg", "firstRelease", "minMlflow")


@dataclass(frozen=True)
class ResourceKind:
    """One resource type of ``mlflow.models.resources`` as it appears under ``databricks``.

    Attributes:
        key: Serialised key under ``system_auth_policy.resources.databricks``.
        class_name: The MLflow class in ``mlflow.models.resources`` (``mlflowClass``).
        arg: The class's constructor keyword for the identifier, serialised as ``name``
            (``constructorArg``).
        first_release: First ``mlflow``/``mlflow-skinny`` release whose ``resources.py`` has the
            class, checked by reading each release's wheel (``firstRelease``).
        min_mlflow: Lowest MLflow to declare when using this kind: the later of
            ``first_release`` and the version Databricks documents for it (``minMlflow``).
    """

    key: str
    class_name: str
    arg: str
    first_release: str
    min_mlflow: str


def kinds_file() -> Path:
    """The data file in use: the first of :data:`KINDS_FILE_CANDIDATES` that exists.

    Raises:
        AgentFileError: none exists.
    """
    for candidate in KINDS_FILE_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise AgentFileError(
        KINDS_FILE_CANDIDATES[0],
        None,
        "file not found: databricks_agent_auth reads the resource kinds from the repository's "
        "lib/model/mlflow-kinds.json (python/ beside lib/); when the package is copied elsewhere, "
        f"copy that file to {KINDS_FILE_CANDIDATES[1]}",
    )


def load_kinds(path: Path | None = None) -> dict[str, ResourceKind]:
    """Read the kinds table, by key in file order.

    Raises:
        AgentFileError: the file is missing, not JSON, or a row lacks a column or holds a
            non-version string.
    """
    file = path if path is not None else kinds_file()
    data = read_json_file(file, AgentFileError)
    kinds = data.get("kinds") if isinstance(data, dict) else None
    if not isinstance(kinds, dict) or not kinds:
        raise AgentFileError(file, "kinds", f"expected a non-empty object of kinds, got {type_name(kinds)}")
    table: dict[str, ResourceKind] = {}
    for key, row in kinds.items():
        if not isinstance(row, dict):
            raise AgentFileError(file, f"kinds.{key}", f"expected an object, got {type_name(row)}")
        for column in _COLUMNS:
            if not isinstance(row.get(column), str) or not row[column]:
                raise AgentFileError(file, f"kinds.{key}.{column}", "missing or not a non-empty string")
        for column in ("firstRelease", "minMlflow"):
            try:
                Version(row[column])
            except InvalidVersion:
                raise AgentFileError(file, f"kinds.{key}.{column}", f"not a version: {row[column]!r}") from None
        table[key] = ResourceKind(
            key, row["mlflowClass"], row["constructorArg"], row["firstRelease"], row["minMlflow"]
        )
    return table


#: Every Databricks resource kind, by key, from the shared data file.
RESOURCE_KINDS: Mapping[str, ResourceKind] = load_kinds()
