#!/usr/bin/env python3
"""Save an MLflow pyfunc model with each synthesised auth policy and check what MLflow wrote.

Usage:
    roundtrip.py [options] <stack dir | mlflow.json> --endpoint <key> <out_dir>
    roundtrip.py [options] <auth_policy.json> <out_dir>
    roundtrip.py [options] --all <cdktf.out dir> <out_root>

Single mode loads the endpoint's entry of the stack's ``mlflow.json`` (its auth policy and its
metadata), or an ``auth_policy.json`` (and ``metadata.json`` beside it, if present), or the metadata
given with ``--metadata``, calls ``mlflow.pyfunc.save_model(path=out_dir, python_model=<echo
model>, auth_policy=policy, pip_requirements=metadata.pip_requirements)`` with no tracking server,
checks that the written ``MLmodel``'s ``auth_policy`` equals the input JSON and that there is no
``resources`` key, and prints the ``MLmodel`` path.

``--all`` finds every endpoint of every ``stacks/<stack>/mlflow.json`` under the cdktf.out
directory and writes each model to ``<out_root>/<stack>/<endpoint>/``, printing one ``MLmodel``
path per line; it processes every policy and reports all failures.

Exit status: 0 all good; 1 a model was written but a check failed (MLmodel mismatch, or
policy/metadata inconsistency); 2 bad input (malformed file, nothing found, out_dir not empty).
Errors go to stderr as ``roundtrip: error: <file>: <field>: <problem>``, never as a stack trace.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

# MLflow 3 sends usage telemetry unless told not to; this tool runs offline.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from databricks_agent_auth import (  # noqa: E402
    AgentFileError,
    AgentMetadata,
    check_consistency,
    load_auth_policy,
    load_metadata,
)
from databricks_agent_auth._json import (  # noqa: E402
    MLFLOW_FILE,
    is_stack_source,
    read_json_file,
    read_target_json,
)
from databricks_agent_auth.errors import AuthPolicyFileError  # noqa: E402

MODEL_CODE = HERE / "roundtrip_model.py"
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2


class RoundTripError(Exception):
    """A check failed; ``exit_code`` says which kind."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Job:
    """One policy to save: input files (with ``endpoint``, a stack's ``mlflow.json`` entry) and output directory."""

    policy: Path
    metadata: Path | None
    out_dir: Path
    expected_endpoint: str | None = None
    endpoint: str | None = None


def _prepare_out_dir(out_dir: Path, force: bool) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        if force and out_dir.is_dir() and (out_dir / "MLmodel").is_file():
            shutil.rmtree(out_dir)
        else:
            hint = " (--force replaces a previous model dir)" if (out_dir / "MLmodel").is_file() else ""
            raise RoundTripError(f"{out_dir}: exists and is not empty{hint}", EXIT_BAD_INPUT)
    out_dir.parent.mkdir(parents=True, exist_ok=True)


def save_one(
    job: Job,
    *,
    force: bool = False,
    check_metadata: bool = True,
    default_pip_requirements: list[str] | None = None,
) -> Path:
    """Save the model for ``job`` and verify the MLmodel; return the MLmodel path.

    ``pip_requirements`` come from the metadata; without metadata ``default_pip_requirements``
    is used, and if that is ``None`` too MLflow infers them (a subprocess, ~1-3 s per model).

    Raises:
        AgentFileError: malformed input file.
        RoundTripError: output dir in the way, inconsistency, or MLmodel mismatch.
    """
    import mlflow
    import yaml

    # The local venv is not the serving environment: MLflow's "requirements mismatch" warning
    # (e.g. databricks-mcp not installed here) is noise for this tool.
    logging.getLogger("mlflow.utils.requirements_utils").setLevel(logging.ERROR)

    expected, source = read_target_json(job.policy, job.endpoint, "auth_policy", AuthPolicyFileError)
    policy = load_auth_policy(job.policy, endpoint=job.endpoint)
    metadata: AgentMetadata | None = None
    if job.metadata:
        metadata = load_metadata(
            job.metadata, endpoint=job.endpoint if is_stack_source(job.metadata) else None
        )
    if metadata is not None and check_metadata:
        problems = check_consistency(policy, metadata)
        if job.expected_endpoint is not None and metadata.endpoint_name != job.expected_endpoint:
            problems.append(
                f"endpoint_name {metadata.endpoint_name!r} does not match its key "
                f"{job.expected_endpoint!r}"
            )
        if problems:
            raise RoundTripError(
                f"{job.metadata}: inconsistent with {Path(source).name}: " + "; ".join(problems),
                EXIT_CHECK_FAILED,
            )

    _prepare_out_dir(job.out_dir, force)
    mlflow.pyfunc.save_model(
        path=str(job.out_dir),
        python_model=str(MODEL_CODE),
        auth_policy=policy,
        pip_requirements=list(metadata.pip_requirements) if metadata else default_pip_requirements,
    )
    mlmodel = job.out_dir / "MLmodel"
    with open(mlmodel, encoding="utf-8") as handle:
        written = yaml.safe_load(handle)
    if written.get("auth_policy") != expected:
        raise RoundTripError(
            f"{mlmodel}: auth_policy differs from {source}:\n"
            f"  wrote:    {json.dumps(written.get('auth_policy'), sort_keys=True)}\n"
            f"  expected: {json.dumps(expected, sort_keys=True)}",
            EXIT_CHECK_FAILED,
        )
    if "resources" in written:
        raise RoundTripError(f"{mlmodel}: unexpected 'resources' key next to auth_policy", EXIT_CHECK_FAILED)
    return mlmodel


def find_jobs(cdktf_out: Path, out_root: Path) -> list[Job]:
    """Every endpoint of every ``stacks/<stack>/mlflow.json`` under ``cdktf_out``.

    Raises:
        AuthPolicyFileError: an ``mlflow.json`` is unreadable or not an object keyed by endpoint.
    """
    jobs = []
    for mlflow_json in sorted(cdktf_out.glob(f"stacks/*/{MLFLOW_FILE}")):
        stack = mlflow_json.parent.name
        data = read_json_file(mlflow_json, AuthPolicyFileError)
        if not isinstance(data, dict):
            raise AuthPolicyFileError(mlflow_json, None, "expected an object keyed by endpoint")
        for endpoint in sorted(data):
            entry = data[endpoint]
            jobs.append(
                Job(
                    policy=mlflow_json,
                    # A hand-written entry without metadata: MLflow infers the requirements.
                    metadata=mlflow_json if not isinstance(entry, dict) or "metadata" in entry else None,
                    out_dir=out_root / stack / endpoint,
                    expected_endpoint=endpoint,
                    endpoint=endpoint,
                )
            )
    return jobs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roundtrip.py",
        description="Save an MLflow model with each synthesised auth_policy.json and verify the MLmodel.",
    )
    parser.add_argument(
        "source", help="a stack directory or its mlflow.json (with --endpoint), an auth_policy.json, or with --all the cdktf.out directory"
    )
    parser.add_argument("out", help="model output dir, or with --all the output root")
    parser.add_argument("--endpoint", help="the endpoint's key in the stack's mlflow.json (single mode)")
    parser.add_argument(
        "--all", action="store_true", help="process every endpoint of every stacks/*/mlflow.json under SOURCE"
    )
    parser.add_argument(
        "--metadata", type=Path, help="metadata.json (single mode; default: the entry's, or beside the policy)"
    )
    parser.add_argument("--no-metadata", action="store_true", help="ignore metadata.json (MLflow infers pip requirements)")
    parser.add_argument(
        "--pip-requirement",
        action="append",
        metavar="REQ",
        help="requirement for models without metadata.json (repeatable; default: MLflow infers them)",
    )
    parser.add_argument("--skip-consistency", action="store_true", help="do not cross-check metadata and policy")
    parser.add_argument("--force", action="store_true", help="replace existing model dirs (ones holding an MLmodel)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    source, out = Path(args.source), Path(args.out)
    if args.all:
        if args.metadata or args.endpoint:
            print("roundtrip: error: --metadata and --endpoint apply to single mode only", file=sys.stderr)
            return EXIT_BAD_INPUT
        if not source.is_dir():
            print(f"roundtrip: error: {source}: not a directory", file=sys.stderr)
            return EXIT_BAD_INPUT
        try:
            jobs = find_jobs(source, out)
        except AgentFileError as exc:
            print(f"roundtrip: error: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if not jobs:
            print(f"roundtrip: error: {source}: no endpoint in any stacks/*/{MLFLOW_FILE}", file=sys.stderr)
            return EXIT_BAD_INPUT
    elif is_stack_source(source):
        jobs = [Job(policy=source, metadata=args.metadata or source, out_dir=out, endpoint=args.endpoint)]
    else:
        metadata = args.metadata
        if metadata is None and (source.parent / "metadata.json").exists():
            metadata = source.parent / "metadata.json"
        jobs = [Job(policy=source, metadata=metadata, out_dir=out, endpoint=args.endpoint)]
    if args.no_metadata:
        jobs = [Job(j.policy, None, j.out_dir, j.expected_endpoint, j.endpoint) for j in jobs]

    status = 0
    for job in jobs:
        try:
            mlmodel = save_one(
                job,
                force=args.force,
                check_metadata=not args.skip_consistency,
                default_pip_requirements=args.pip_requirement,
            )
        except AgentFileError as exc:
            print(f"roundtrip: error: {exc}", file=sys.stderr)
            status = max(status, EXIT_BAD_INPUT)
            continue
        except RoundTripError as exc:
            print(f"roundtrip: error: {exc}", file=sys.stderr)
            status = max(status, exc.exit_code)
            continue
        print(mlmodel, flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
