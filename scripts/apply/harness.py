#!/usr/bin/env python3
"""Apply-time harness: seed a stateful API double from a synthesized stack, apply / plan / apply /
destroy it with the real provider, and check that no access that existed before is taken away.

Usage (normally through run.sh, which finds terraform and the provider mirror):
  harness.py seed STACK_DIR [--deployer NAME] [--extra-seed FILE]      print the seed JSON
  harness.py run --tf TERRAFORM --cli-config FILE [options] STACK_DIR...
  harness.py summary JSON...        one table and the totals over several --json-out files
  harness.py exact JSON PREFIX      fresh runs of stacks PREFIX*: per principal, added == planned
Options of run:
  --expect-violation   every stack must violate an invariant (controls); exit 0 only then
  --keep               keep the work directories
  --deployer NAME      the identity that applies (default: the stack report's deployer)
  --extra-seed FILE    merged into every generated seed (same shape as the seed)
  --seed-profile P     full, fresh or mixed (see make_seed; default full); a comma-separated list
                       runs every stack once per profile
  --jobs N             stacks in parallel (default $APPLY_JOBS or 1)
  --forbid-principal P no entry may name P after apply or destroy (repeatable)
  --label NAME         label of the results (summary)
  --json-out FILE      write the per-stack results as JSON
  --timeout SECONDS    per terraform step (default 300)

Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import base64
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
import api_double as dbl  # noqa: E402  (tables shared with the double)

# databricks_grant(s) attribute -> securable type sent to the API (provider catalog/permissions Mappings)
UC_FIELDS = {
    "catalog": "catalog", "schema": "schema", "table": "table", "function": "function", "model": "function",
    "foreign_connection": "connection", "volume": "volume", "external_location": "external_location",
    "storage_credential": "storage_credential", "credential": "credential", "metastore": "metastore",
    "share": "share", "recipient": "recipient", "pipeline": "pipeline",
    "model_service": "model_service", "mcp_service": "mcp_service",  # provider 1.127+
}
# databricks_permissions attribute -> canonical ACL type (provider permissions/permission_definitions.go)
ACL_FIELDS = {
    "serving_endpoint_id": "serving-endpoints", "sql_endpoint_id": "warehouses",
    "vector_search_endpoint_id": "vector-search-endpoints", "app_name": "apps",
    "database_instance_name": "database-instances", "registered_model_id": "registered-models",
    "experiment_id": "experiments", "job_id": "jobs", "cluster_id": "clusters", "pipeline_id": "pipelines",
    "dashboard_id": "dashboards",
    # provider 1.108+ / 1.116+ (not in 1.99: the library's additive step reaches them)
    "database_project_name": "database-projects", "knowledge_assistant_id": "knowledge-assistants",
    "supervisor_agent_id": "supervisor-agents",
}
# Privileges an unrelated principal, and the stack's own principals, already hold before apply.
OTHER_PRIVS = {
    "catalog": ["BROWSE", "USE_SCHEMA", "SELECT"], "schema": ["SELECT", "EXECUTE"], "table": ["MODIFY"],
    "function": ["APPLY_TAG"], "connection": ["CREATE_FOREIGN_CATALOG"], "volume": ["READ_VOLUME"],
    "model_service": ["APPLY_TAG"], "mcp_service": ["APPLY_TAG"],
}
TEAM_PRIVS = {
    "catalog": ["USE_CATALOG", "USE_SCHEMA", "SELECT"], "schema": ["USE_SCHEMA", "SELECT"],
    "table": ["SELECT", "MODIFY"], "function": ["EXECUTE"], "connection": ["USE_CONNECTION"],
    "volume": ["READ_VOLUME"], "model_service": ["EXECUTE"], "mcp_service": ["EXECUTE"],
}
UNRELATED_GROUP = "data-platform-team"
UNRELATED_USER = "analyst@example.com"
WAREHOUSE_OWNER = "warehouse-owner@example.com"
UUID_RE = dbl.UUID_RE


def is_ref(v) -> bool:
    return isinstance(v, str) and "${" in v


def principal_kind(name: str) -> str:
    if UUID_RE.match(name):
        return "service_principal_name"
    return "user_name" if "@" in name else "group_name"


# ---------------------------------------------------------------------------------------------
# What a stack asks for
# ---------------------------------------------------------------------------------------------

VAR_REF = re.compile(r"^\$\{var\.([A-Za-z0-9_-]+)\}$")


def resolve_vars(value, variables: dict):
    """Replace whole-string `${var.NAME}` by the variable's default (the value apply will use)."""
    if isinstance(value, str):
        m = VAR_REF.match(value)
        if m and "default" in (variables.get(m.group(1)) or {}):
            return variables[m.group(1)]["default"]
        return value
    if isinstance(value, list):
        return [resolve_vars(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: resolve_vars(v, variables) for k, v in value.items()}
    return value


def stack_requests(doc: dict) -> dict:
    """Grants, ACL entries and secret ACLs in a cdk.tf.json, with the resource address of each."""
    out = {"uc": [], "acl": [], "secret": [], "endpoints": []}
    res = resolve_vars(doc.get("resource") or {}, doc.get("variable") or {})
    for name, r in (res.get("databricks_grant") or {}).items():
        for f, t in UC_FIELDS.items():
            if r.get(f):
                out["uc"].append({"address": f"databricks_grant.{name}", "type": t, "name": r[f],
                                  "principal": r["principal"], "privileges": list(r.get("privileges") or []),
                                  "authoritative": "principal"})
    for name, r in (res.get("databricks_grants") or {}).items():
        for f, t in UC_FIELDS.items():
            if r.get(f):
                for g in r.get("grant") or []:
                    out["uc"].append({"address": f"databricks_grants.{name}", "type": t, "name": r[f],
                                      "principal": g["principal"], "privileges": list(g.get("privileges") or []),
                                      "authoritative": "securable"})
    for name, r in (res.get("databricks_permissions") or {}).items():
        for f, t in ACL_FIELDS.items():
            if r.get(f):
                for ac in r.get("access_control") or []:
                    p = next((ac[k] for k in dbl.PRINCIPAL_FIELDS if ac.get(k)), None)
                    kind = next((k for k in dbl.PRINCIPAL_FIELDS if ac.get(k)), None)
                    out["acl"].append({"address": f"databricks_permissions.{name}", "type": t, "id": r[f],
                                       "kind": kind, "principal": p, "level": ac.get("permission_level"),
                                       "authoritative": "object"})
    for name, r in (res.get("databricks_secret_acl") or {}).items():
        out["secret"].append({"address": f"databricks_secret_acl.{name}", "scope": r["scope"],
                              "principal": r["principal"], "permission": r["permission"]})
    for name, r in (res.get("terraform_data") or {}).items():
        inp = r.get("input") or {}
        if "object_type" in inp and "access_control" in inp:  # the library's additive step
            try:
                body = json.loads(inp["access_control"]) if isinstance(inp["access_control"], str) else inp["access_control"]
            except json.JSONDecodeError:
                continue
            t = dbl.ACL_TYPE_ALIASES.get(inp["object_type"], inp["object_type"])
            for ac in body.get("access_control_list") or []:
                kind = next((k for k in dbl.PRINCIPAL_FIELDS if ac.get(k)), None)
                out["acl"].append({"address": f"terraform_data.{name}", "type": t, "id": inp.get("object"),
                                   "lookup": inp.get("lookup") or "", "kind": kind, "principal": ac.get(kind),
                                   "level": ac.get("permission_level"), "authoritative": "additive", "legacy": True})
        for pl in additive_payloads(r.get("input") or {}, doc.get("variable") or {}):  # the payload shape ({"kind": "permissions" | "grants" | "secret-acl", ...})
            add_payload(out, f"terraform_data.{name}", pl)
    for name, r in (res.get("databricks_model_serving") or {}).items():
        out["endpoints"].append({"address": f"databricks_model_serving.{name}", "name": r.get("name")})
    for name, r in (res.get("databricks_app") or {}).items():
        for g in app_resource_requests(f"databricks_app.{name}", r.get("resources") or [],
                                       "${databricks_app." + name + ".service_principal_client_id}"):
            out[g.pop("list")].append(g)
    return out


def app_resource_requests(address: str, resources: list, sp: str) -> list[dict]:
    """What an app's `resources` grant its service principal `sp` (the Apps API does it natively), as
    requests (authoritative "app"). In the config `sp` is a reference (the app is created by the
    stack: the objects are seeded, the principal is not); from the state, it is the client id."""
    out = []
    for res in resources:
        for kind, spec in res.items():
            if not isinstance(spec, dict) or kind not in dbl.APP_RESOURCE_PERMISSIONS:
                continue
            perm = spec.get("permission")
            if kind in dbl.APP_RESOURCE_ACL:
                t, field = dbl.APP_RESOURCE_ACL[kind]
                level = None if t == "warehouses" and perm == "IS_OWNER" else perm
                out.append({"list": "acl", "address": address, "type": t, "id": spec.get(field),
                            "lookup": "x" if t == "serving-endpoints" else "", "kind": "service_principal_name",
                            "principal": sp, "level": level, "authoritative": "app"})
            elif kind == "database":  # a Postgres role, no ACL entry: the instance is seeded, nothing expected
                out.append({"list": "acl", "address": address, "type": "database-instances",
                            "id": spec.get("instance_name"), "lookup": "", "kind": None, "principal": sp,
                            "level": None, "authoritative": "app"})
            elif kind == "secret":
                out.append({"list": "secret", "address": address, "scope": spec.get("scope"), "principal": sp,
                            "permission": perm, "authoritative": "app"})
            elif kind == "uc_securable":
                out.append({"list": "uc", "address": address, "type": "volume",
                            "name": spec.get("securable_full_name"), "principal": sp, "privileges": [perm],
                            "authoritative": "app"})
    return out


PAYLOAD_KINDS = ("permissions", "grants", "secret-acl")
SEED_PROFILES = ("full", "fresh", "mixed")


def hcl_object_to_json(expr: str, variables: dict) -> object:
    """A Terraform object/tuple literal (`{"k" = "v", "id" = var.x}`) as data; references that are not
    variables with a default become "${...}" strings."""
    out, i = [], 0
    while i < len(expr):
        c = expr[i]
        if c == '"':
            j = i + 1
            while j < len(expr) and expr[j] != '"':
                j += 2 if expr[j] == "\\" else 1
            out.append(expr[i:j + 1])
            i = j + 1
        elif c in "{}[],:":
            out.append(c)
            i += 1
        elif c == "=":
            out.append(":")
            i += 1
        elif c.isspace():
            i += 1
        else:
            j = i
            while j < len(expr) and expr[j] not in " \t\n,}]":
                j += 1
            tok = expr[i:j]
            if re.fullmatch(r"-?\d+(\.\d+)?|true|false|null", tok):
                out.append(tok)
            else:
                m = re.fullmatch(r"var\.([A-Za-z0-9_-]+)", tok)
                if m and "default" in (variables.get(m.group(1)) or {}):
                    out.append(json.dumps(variables[m.group(1)]["default"]))
                else:
                    out.append(json.dumps("${" + tok + "}"))
            i = j
    return json.loads("".join(out))


def json_template_to_json(text: str, variables: dict) -> str:
    """The JSON text of a config payload with the values the stack means: `${jsonencode(var.X)}` becomes
    the JSON of X's default; a raw `${var.X}` inside a JSON string becomes X's default as string content
    (what was meant, not what Terraform's raw interpolation would make of it); another reference becomes
    "${REF}" (the seed treats it as created by the stack); `$${` / `%%{` become `${` / `%{`."""
    out, i, in_str = [], 0, False
    while i < len(text):
        c = text[i]
        if text.startswith("$${", i) or text.startswith("%%{", i):
            out.append(c + "{")
            i += 3
        elif text.startswith("${", i):
            depth, j = 0, i + 2
            while j < len(text):
                if text[j] == "(":
                    depth += 1
                elif text[j] == ")":
                    depth -= 1
                elif text[j] == "}" and depth == 0:
                    break
                j += 1
            expr = text[i + 2:j].strip()
            m = re.fullmatch(r"jsonencode\((.*)\)", expr, re.S)
            inner = m.group(1).strip() if m else expr
            v = re.fullmatch(r"var\.([A-Za-z0-9_-]+)", inner)
            if v and "default" in (variables.get(v.group(1)) or {}):
                value = json.dumps(variables[v.group(1)]["default"])
            else:
                value = json.dumps("${" + inner + "}")
            out.append(value[1:-1] if in_str and not m and value.startswith('"') else value)
            i = j + 1
        else:
            if c == "\\" and in_str:
                out.append(text[i:i + 2])
                i += 2
                continue
            if c == '"':
                in_str = not in_str
            out.append(c)
            i += 1
    return "".join(out)


def additive_payloads(value, variables: dict | None = None) -> list[dict]:
    """Additive-step payloads anywhere in a terraform_data input: objects, JSON strings (the applied
    state; in the synthesized config with `${jsonencode(ref)}` where a value is a reference), base64
    of JSON, or `${base64encode(jsonencode({...}))}`."""
    if isinstance(value, str):
        m = re.match(r"^\$\{(?:base64encode\()?jsonencode\((.*?)\)\)?\}$", value.strip(), re.S)
        if m:
            try:
                value = hcl_object_to_json(m.group(1), variables or {})
            except (json.JSONDecodeError, ValueError):
                return []
        elif value.lstrip().startswith("{"):
            try:
                value = json.loads(value if variables is None else json_template_to_json(value, variables))
            except json.JSONDecodeError:
                return []
        else:
            try:
                value = json.loads(base64.b64decode(value, validate=True))
            except (ValueError, json.JSONDecodeError):
                return []
    if isinstance(value, dict):
        if value.get("kind") in PAYLOAD_KINDS and ("id" in value or "scope" in value):
            return [value]
        return [p for v in value.values() for p in additive_payloads(v, variables)]
    if isinstance(value, list):
        return [p for v in value for p in additive_payloads(v, variables)]
    return []


def add_payload(out: dict, address: str, pl: dict) -> None:
    if pl["kind"] == "permissions":
        t = dbl.ACL_TYPE_ALIASES.get(pl.get("apiType", ""), pl.get("apiType", ""))
        for ac in pl.get("entries") or []:
            kind = next((k for k in dbl.PRINCIPAL_FIELDS if ac.get(k)), None)
            out["acl"].append({"address": address, "type": t, "id": pl["id"], "lookup": "x" if pl.get("lookup") else "",
                               "kind": kind, "principal": ac.get(kind), "level": ac.get("permission_level"),
                               "authoritative": "additive"})
    elif pl["kind"] == "grants":
        t = dbl.UC_TYPE_ALIASES.get(str(pl.get("apiType", "")).lower(), pl.get("apiType"))
        for c in pl.get("changes") or []:
            out["uc"].append({"address": address, "type": t, "name": pl["id"], "principal": c.get("principal"),
                              "privileges": list(c.get("add") or []), "authoritative": "additive"})
    elif pl["kind"] == "secret-acl":
        for e in pl.get("entries") or []:
            out["secret"].append({"address": address, "scope": pl.get("scope", pl.get("id")), "principal": e.get("principal"),
                                  "permission": e.get("permission"), "authoritative": "additive"})


REPORT_WS_TYPES = {"serving endpoint": "serving-endpoints", "sql warehouse": "warehouses", "genie space": "genie",
                   "vector search endpoint": "vector-search-endpoints", "database instance": "database-instances",
                   "app": "apps", "knowledge assistant": "knowledge-assistants",
                   "supervisor agent": "supervisor-agents", "database project": "database-projects"}
REPORT_UC_TYPES = {"catalog": "catalog", "schema": "schema", "table": "table", "function": "function",
                   "model": "function", "foreign_connection": "connection", "model_service": "model_service",
                   "mcp_service": "mcp_service"}
REPORT_PRINCIPAL_KINDS = {"user": "user_name", "group": "group_name", "servicePrincipal": "service_principal_name"}


def report_grant_rows(data: dict) -> list[dict]:
    """The grants of an agent-report.json as rows (securable, principal, privileges, mechanism, reasons):
    format 1 lists them so; format 2 (lib/model/report-format.ts) states each string once in tables and
    writes a line per securable: [securable, mechanism, privileges, [principal, reason, ...], ...]."""
    if not isinstance(data.get("format"), int) or data["format"] < 2:
        return list(data.get("grants") or [])
    t = {k: data.get(k) or [] for k in ("securables", "principals", "requesters", "needs", "reasons")}
    reasons = [t["requesters"][r[0]] + (": " + t["needs"][r[1]] if len(r) > 1 else "") for r in t["reasons"]]
    rows = []
    for line in data.get("grants") or []:
        sec, mechanism, privileges, *members = line
        for principal, *rs in members:
            rows.append({"securable": t["securables"][sec], "principal": t["principals"][principal],
                         "privileges": privileges, "mechanism": mechanism, "reasons": [reasons[r] for r in rs]})
    return rows


def report_requests(stack_dir: Path) -> dict:
    """The grants agent-report.json lists with mechanism "report" (nothing in Terraform applies them):
    the objects they name are seeded too, so the harness checks that the stack leaves them alone.
    Rows whose securable or principal is a Terraform reference are skipped (no value to seed)."""
    out = {"uc": [], "acl": [], "secret": []}
    path = stack_dir / "agent-report.json"
    if not path.is_file():
        return out
    try:
        rows = report_grant_rows(json.loads(path.read_text()))
    except json.JSONDecodeError:
        return out
    for g in rows:
        if g.get("mechanism") != "report":
            continue
        sec, principal = str(g.get("securable", "")), str(g.get("principal", ""))
        kind, _, name = principal.partition(":")
        if "TfToken" in sec + principal or "${" in sec + principal or kind not in REPORT_PRINCIPAL_KINDS:
            continue
        privs = list(g.get("privileges") or [])
        addr = f"report ({sec})"
        if sec.startswith("secret scope "):
            out["secret"].append({"address": addr, "scope": sec[len("secret scope "):], "principal": name,
                                  "permission": privs[0], "authoritative": "report"})
            continue
        ws = next((t for t in REPORT_WS_TYPES if sec.startswith(t + " ")), None)
        if ws:
            t = REPORT_WS_TYPES[ws]
            out["acl"].append({"address": addr, "type": t, "id": sec[len(ws) + 1:],
                               "lookup": "x" if t in ("serving-endpoints", "vector-search-endpoints") else "",
                               "kind": REPORT_PRINCIPAL_KINDS[kind], "principal": name, "level": privs[0],
                               "authoritative": "report"})
            continue
        t, _, full = sec.partition(" ")
        if t in REPORT_UC_TYPES:
            out["uc"].append({"address": addr, "type": REPORT_UC_TYPES[t], "name": full, "principal": name,
                              "privileges": privs, "authoritative": "report"})
    return out


def all_requests(stack_dir: Path, doc: dict) -> dict:
    """What the stack applies (cdk.tf.json) and what it only reports (agent-report.json)."""
    req = stack_requests(doc)
    for k, v in report_requests(stack_dir).items():
        req[k].extend(v)
    return req


def deployer_from_report(stack_dir: Path) -> str | None:
    report = stack_dir / "agent-report.json"
    if not report.is_file():
        return None
    try:
        data = json.loads(report.read_text())
    except json.JSONDecodeError:
        return None
    for g in report_grant_rows(data):
        if any(str(r).startswith("deployer of") for r in g.get("reasons") or []):
            return str(g["principal"]).split(":", 1)[-1]
    return None


def uc_parents(t: str, name: str) -> list[tuple[str, str]]:
    parts = name.split(".")
    if t in ("table", "function", "volume", "model_service", "mcp_service") and len(parts) == 3:
        return [("schema", ".".join(parts[:2])), ("catalog", parts[0])]
    if t == "schema" and len(parts) == 2:
        return [("catalog", parts[0])]
    return []


def higher_level(t: str, level: str) -> str:
    """The next level above `level` that includes it (a warehouse's CAN_USE -> CAN_MANAGE, not the
    incomparable CAN_MONITOR)."""
    order = [lvl for lvl in dbl.ACL_LEVELS.get(t, []) if lvl != "IS_OWNER"]
    if level in order:
        for up in order[order.index(level) + 1:]:
            if dbl.covers(f"acl|{t}/x|p", up, level):
                return up
    return level


def make_seed(stack_dir: Path, deployer: str | None = None, extra: dict | None = None, profile: str = "full",
              forbid: list[str] | None = None) -> dict:
    """The pre-existing state for a stack.

    profile "full": on every securable and object the stack touches, an unrelated group and user hold
    privileges, the deployer holds MANAGE (UC), CAN_MANAGE (ACLs) and MANAGE (secret scopes), and each
    principal the stack grants already holds what the stack asks for plus other privileges (UC), or a
    level one step higher (ACLs, secret scopes).
    profile "fresh": the same, except that the principals the stack grants (the deployer included)
    hold nothing on the securables and objects where the stack grants them: proves that what the
    stack grants really arrives.
    profile "mixed": per (object, principal) granted, full or fresh, decided by a hash of the pair
    (deterministic): one run checks both that nothing is lowered and that grants arrive.
    """
    doc = json.loads((stack_dir / "cdk.tf.json").read_text())
    req = all_requests(stack_dir, doc)
    def fresh(*key: str) -> bool:
        if profile != "mixed":
            return profile == "fresh"
        return int(hashlib.sha256("|".join(map(str, key)).lower().encode()).hexdigest(), 16) % 2 == 1
    grantees = {("uc", g["type"], g["name"].lower(), g["principal"]) for g in req["uc"]}
    grantees |= {("acl", a["type"], a["id"], a.get("principal")) for a in req["acl"]}
    grantees |= {("secret", s["scope"], s["principal"]) for s in req["secret"]}
    deployer = deployer or deployer_from_report(stack_dir) or "deployer@example.com"
    principals: set[tuple[str, str]] = {("group_name", UNRELATED_GROUP), ("user_name", UNRELATED_USER),
                                         ("user_name", WAREHOUSE_OWNER), (principal_kind(deployer), deployer)}
    # Forbidden principals exist in the directory, so that a grant injected for one would succeed
    # and show up as an entry instead of failing the request.
    principals |= {(k, n) for n in forbid or [] for k in dbl.PRINCIPAL_FIELDS}
    uc: dict[tuple[str, str], dict[str, list[str]]] = {}

    def grant(t, n, p, privs):
        cur = uc.setdefault((t, n.lower()), {}).setdefault(p, [])
        cur.extend(x for x in privs if x not in cur)
        principals.add((principal_kind(p), p))

    for g in req["uc"]:
        if is_ref(g["name"]):
            continue  # created by the stack itself: nothing existed before
        for t, n in [(g["type"], g["name"])] + uc_parents(g["type"], g["name"]):
            grant(t, n, UNRELATED_GROUP, TEAM_PRIVS.get(t, []))
            grant(t, n, UNRELATED_USER, TEAM_PRIVS.get(t, [])[:1])
            if not (fresh("uc", t, n, deployer) and ("uc", t, n.lower(), deployer) in grantees):
                grant(t, n, deployer, ["MANAGE"])
    for g in req["uc"]:
        if is_ref(g["name"]) or is_ref(g["principal"]) or fresh("uc", g["type"], g["name"], g["principal"]):
            continue
        asked = [dbl.norm_priv(p) for p in g["privileges"]]
        grant(g["type"], g["name"], g["principal"], asked + [p for p in OTHER_PRIVS.get(g["type"], []) if p not in asked])

    acls: dict[tuple[str, str], dict[tuple[str, str], str]] = {}
    objects = {k: {} for k in dbl.SEEDED_OBJECT_KINDS + ("apps",)}
    endpoints: dict[str, dict] = {}
    own_endpoints = {e["name"] for e in req["endpoints"] if e.get("name") and not is_ref(e["name"])}
    for a in req["acl"]:
        if is_ref(a["id"]) or (a["type"] == "serving-endpoints" and a.get("lookup") and a["id"] in own_endpoints):
            continue  # an object the stack creates (its own endpoint, maybe named literally): nothing existed before
        t, oid = a["type"], a["id"]
        if a.get("lookup"):  # the additive step looks the object up by name first
            if t == "serving-endpoints":
                ep = endpoints.setdefault(oid, {"name": oid, "id": "ep" + format(abs(hash(oid)) % 16**12, "012x"),
                                                "creator": UNRELATED_USER})
                oid = ep["id"]
            elif t == "vector-search-endpoints":
                vs = objects["vector_search_endpoints"].setdefault(
                    oid, {"id": oid, "name": oid, "endpoint_type": "STANDARD", "endpoint_status": {"state": "ONLINE"}})
                vs["id"] = vs["id"]
        if t == "warehouses":
            objects["warehouses"].setdefault(oid, {"id": oid, "name": f"shared-{oid}", "creator_name": WAREHOUSE_OWNER,
                                                   "state": "RUNNING"})
        elif t == "genie":
            objects["genie_spaces"].setdefault(oid, {"space_id": oid, "id": oid, "title": "shared space"})
        elif t == "apps":
            objects["apps"].setdefault(oid, {"name": oid, "id": oid})
        elif t == "database-instances":
            objects["database_instances"].setdefault(oid, {"name": oid, "id": oid, "state": "AVAILABLE"})
        elif t == "database-projects":  # a Lakebase Autoscaling project, keyed by its name
            objects["database_projects"].setdefault(oid, {"name": oid, "id": oid})
        elif t in ("knowledge-assistants", "supervisor-agents"):  # Agent Bricks, keyed by the agent's id
            objects[dbl.ACL_OBJECT_KINDS[t]].setdefault(oid, {"id": oid, "name": f"{t}/{oid}"})
        elif t == "vector-search-endpoints" and not a.get("lookup"):
            objects["vector_search_endpoints"].setdefault(oid, {"id": oid, "name": oid})
        acl = acls.setdefault((t, oid), {})
        levels = dbl.ACL_LEVELS.get(t, [])
        low = next((lvl for lvl in levels if lvl not in ("IS_OWNER",)), "CAN_USE")
        acl.setdefault(("group_name", UNRELATED_GROUP), low)
        acl.setdefault(("user_name", UNRELATED_USER), "CAN_MANAGE" if "CAN_MANAGE" in levels else low)
        if not (fresh("acl", t, a["id"], deployer) and ("acl", t, a["id"], deployer) in grantees):
            acl.setdefault((principal_kind(deployer), deployer), "CAN_MANAGE" if "CAN_MANAGE" in levels else low)
        if t in dbl.OWNER_TYPES:
            acl[("user_name", WAREHOUSE_OWNER)] = "IS_OWNER"
        if a.get("principal") and not is_ref(a["principal"]) and a.get("level") and not fresh(
                "acl", t, a["id"], a["principal"]):
            kind = "service_principal_name" if UUID_RE.match(a["principal"]) else a["kind"]
            acl.setdefault((kind, a["principal"]), higher_level(t, a["level"]))
            principals.add((kind, a["principal"]))

    scopes: dict[str, dict[str, str]] = {}
    for s in req["secret"]:
        if is_ref(s["scope"]):
            continue
        acl = scopes.setdefault(s["scope"], {UNRELATED_GROUP: "READ"})
        if not (fresh("secret", s["scope"], deployer) and ("secret", s["scope"], deployer) in grantees):
            acl.setdefault(deployer, "MANAGE")
        if not is_ref(s["principal"]) and not fresh("secret", s["scope"], s["principal"]):
            order = dbl.SECRET_LEVELS
            want = s["permission"] if s["permission"] in order else "READ"
            acl.setdefault(s["principal"], order[min(order.index(want) + 1, len(order) - 1)])
            principals.add((principal_kind(s["principal"]), s["principal"]))
    for g in req["uc"] + req["acl"]:
        p = g.get("principal")
        if p and not is_ref(p):
            principals.add((principal_kind(p), p))

    seed = {
        "deployer": {"user_name": deployer},
        "options": {"reject_add_and_remove": True, "patch_semantics": "replace", "strict_principals": True,
                    "strict_securables": True},
        "principals": [{"kind": k, "name": n} for k, n in sorted(principals)],
        "uc_securables": [{"securable_type": t, "full_name": n} for (t, n) in sorted(uc)],
        "uc_grants": [{"securable_type": t, "full_name": n, "principal": p, "privileges": privs}
                      for (t, n), ps in sorted(uc.items()) for p, privs in sorted(ps.items())],
        "acls": [{"object_type": t, "object_id": oid,
                  "access_control_list": [{kind: name, "permission_level": lvl} for (kind, name), lvl in sorted(acl.items())]}
                 for (t, oid), acl in sorted(acls.items())],
        "secret_scopes": [{"name": n, "acls": acl} for n, acl in sorted(scopes.items())],
        "serving_endpoints": list(endpoints.values()),
        **{k: list(v.values()) for k, v in objects.items()},
    }
    for k, v in (extra or {}).items():
        if isinstance(v, list):
            seed[k] = seed.get(k, []) + v
        elif isinstance(v, dict):
            seed[k] = {**seed.get(k, {}), **v}
        else:
            seed[k] = v
    return seed


# ---------------------------------------------------------------------------------------------
# Running one stack
# ---------------------------------------------------------------------------------------------

class Double:
    def __init__(self, work: Path, seed_path: Path):
        self.port_file = work / "double.port"
        self.journal = work / "journal.jsonl"
        self.log = open(work / "double.stderr", "w")
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "api_double.py"), "--seed", str(seed_path), "--port-file", str(self.port_file),
             "--journal", str(self.journal), "--state-out", str(work / "state-final.json")],
            stdout=self.log, stderr=self.log)
        for _ in range(100):
            if self.port_file.exists():
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"api_double exited: {(work / 'double.stderr').read_text()}")
            time.sleep(0.05)
        else:
            raise RuntimeError("api_double did not start")
        self.url = f"http://127.0.0.1:{self.port_file.read_text().strip()}"

    def get(self, path: str) -> dict:
        with urllib.request.urlopen(self.url + path, timeout=30) as r:
            return json.loads(r.read())

    def post(self, path: str, body: dict) -> dict:
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.post("/__shutdown", {})
                self.proc.wait(timeout=10)
            except Exception:  # noqa: BLE001
                self.proc.terminate()  # our own child, by its pid
                self.proc.wait(timeout=10)
        self.log.close()


def cli_bin(work: Path) -> Path:
    """A directory holding the CLI double as `databricks`, its shebang naming this interpreter with -S
    (no site, no version-manager shim): the additive steps start it several times per object."""
    d = work / ".bin"
    d.mkdir(exist_ok=True)
    src = (HERE / "databricks").read_text().split("\n", 1)[1]
    exe = d / "databricks"
    shebang = f"#!{sys.executable} -S" if " " not in sys.executable and len(sys.executable) < 100 else "#!/usr/bin/env python3"
    exe.write_text(shebang + "\n" + src)
    exe.chmod(0o755)
    return d


def tf_env(work: Path, cli_config: str, host: str) -> dict:
    env = {
        # The CLI double comes first (a copy of scripts/apply/databricks).
        "PATH": f"{cli_bin(work)}{os.pathsep}{HERE}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(work / ".home"), "TMPDIR": str(work / ".tmp"), "TF_CLI_CONFIG_FILE": cli_config,
        "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1",
        "DATABRICKS_HOST": host, "DATABRICKS_TOKEN": "dapi-apply-harness", "DATABRICKS_AUTH_TYPE": "pat",
        "DATABRICKS_CLI_DOUBLE_LOG": str(work / "cli.jsonl"),
    }
    for k in ("TF_LOG", "TF_LOG_PATH"):
        if os.environ.get(k):
            env[k] = os.environ[k]
    return env


def entry_order(key: str) -> list[str]:
    return dbl.level_order(key)


def compare(before: dict, after: dict) -> tuple[list[str], list[str]]:
    """Entries of `before` missing from `after`, and entries present at a lower level."""
    removed, lowered = [], []
    for k, v in before.items():
        if k not in after:
            removed.append(k)
            continue
        if after[k] != v and not dbl.covers(k, after[k], v):
            lowered.append(f"{k}: {v} -> {after[k]}")
    return sorted(removed), sorted(lowered)


def additive_keys(req: dict, endpoints: dict | None = None, skip_refs: bool = False) -> dict[str, str]:
    """The entries the additive requests in `req` add, flattened like the double's entries. With
    skip_refs, requests whose object or principal is still a reference are left out."""
    exp: dict[str, str] = {}
    for g in req["uc"]:
        if g.get("authoritative") != "additive" or (skip_refs and (is_ref(g["name"]) or is_ref(g["principal"]))):
            continue
        for priv in g["privileges"]:
            exp[f"uc|{dbl.uc_key(g['type'], g['name'])}|{g['principal']}|{dbl.norm_priv(priv)}"] = dbl.norm_priv(priv)
    for a in req["acl"]:
        if a.get("authoritative") != "additive" or not a.get("kind") or (
                skip_refs and (is_ref(a["id"]) or is_ref(a["principal"]))):
            continue
        oid = a["id"]
        if a.get("lookup") and a["type"] == "serving-endpoints":
            oid = (endpoints or {}).get(oid, {}).get("id", oid)
        kind, name = dbl.acl_principal({a["kind"]: a["principal"]})
        exp[f"acl|{a['type']}/{oid}|{kind}:{name}"] = a["level"]
    for x in req["secret"]:
        if x.get("authoritative") != "additive" or (skip_refs and (is_ref(x["scope"]) or is_ref(x["principal"]))):
            continue
        exp[f"secret|{x['scope']}|{x['principal']}"] = x["permission"]
    return exp


def applied_additive(state_json: dict, endpoints: dict | None = None) -> dict[str, str]:
    """What the additive steps' payloads in the applied state add (the values Terraform passed)."""
    got: dict = {"uc": [], "acl": [], "secret": []}
    resources = ((state_json.get("values") or {}).get("root_module") or {}).get("resources") or []
    for r in resources:
        if r["address"].startswith("terraform_data."):
            for pl in additive_payloads((r.get("values") or {}).get("input") or {}):
                add_payload(got, r["address"], pl)
    return additive_keys(got, endpoints)


def expected_from_state(state_json: dict, requests: dict, endpoints: dict | None = None,
                        additive: bool = True) -> dict[str, str]:
    """What the applied resources say they grant, as flattened double entries (with additive=False,
    without the additive steps' payloads)."""
    exp: dict[str, str] = {}
    resources = ((state_json.get("values") or {}).get("root_module") or {}).get("resources") or []
    by_addr = {r["address"]: r.get("values") or {} for r in resources}
    for g in requests["uc"]:
        if g["authoritative"] in ("additive", "app"):
            continue
        v = by_addr.get(g["address"], {})
        field = next((f for f, t in UC_FIELDS.items() if v.get(f)), None)
        if field is None:
            continue
        t = UC_FIELDS[field]
        if g["authoritative"] == "principal":
            plist = [(v.get("principal"), v.get("privileges") or [])]
        else:
            plist = [(x.get("principal"), x.get("privileges") or []) for x in v.get("grant") or []]
        for p, privs in plist:
            for priv in privs:
                exp[f"uc|{dbl.uc_key(t, v[field])}|{p}|{dbl.norm_priv(priv)}"] = dbl.norm_priv(priv)
    for addr, v in by_addr.items():
        if addr.startswith("databricks_permissions."):
            field = next((f for f in ACL_FIELDS if v.get(f)), None)
            if not field:
                continue
            t = ACL_FIELDS[field]
            oid = str(v.get("id") or "").rsplit("/", 1)[-1] or v[field]
            for ac in v.get("access_control") or []:
                kind = next((k for k in dbl.PRINCIPAL_FIELDS if ac.get(k)), None)
                if kind:
                    kind, name = dbl.acl_principal({kind: ac[kind]})
                    exp[f"acl|{t}/{oid}|{kind}:{name}"] = ac.get("permission_level")
        elif addr.startswith("databricks_secret_acl."):
            exp[f"secret|{v.get('scope')}|{v.get('principal')}"] = v.get("permission")
        elif addr.startswith("databricks_app.") and v.get("service_principal_client_id"):
            sp = v["service_principal_client_id"]
            # Endpoint ids by name: shared ones from the double, the stack's own from the state (the
            # double no longer has them after destroy).
            ids = {n: e.get("id") for n, e in (endpoints or {}).items()}
            ids.update({x.get("name"): x.get("serving_endpoint_id") for x in by_addr.values()
                        if x.get("serving_endpoint_id") and x.get("name")})
            for g in app_resource_requests(addr, v.get("resources") or [], sp):
                if g["list"] == "acl" and g["level"]:
                    oid = ids.get(g["id"], g["id"]) if g["lookup"] else g["id"]
                    exp[f"acl|{g['type']}/{oid}|service_principal_name:{sp}"] = g["level"]
                elif g["list"] == "secret":
                    exp[f"secret|{g['scope']}|{sp}"] = g["permission"]
                elif g["list"] == "uc":
                    exp[f"uc|{dbl.uc_key('volume', g['name'])}|{sp}|{g['privileges'][0]}"] = g["privileges"][0]
        elif addr.startswith("terraform_data.") and additive:
            inp = v.get("input") or {}
            got: dict = {"uc": [], "acl": [], "secret": []}
            for pl in additive_payloads(inp):
                add_payload(got, addr, pl)
            exp.update(additive_keys(got, endpoints))
            if not (isinstance(inp, dict) and "object_type" in inp and "access_control" in inp):
                continue
            try:
                body = json.loads(inp["access_control"]) if isinstance(inp["access_control"], str) else inp["access_control"]
            except json.JSONDecodeError:
                continue
            t = dbl.ACL_TYPE_ALIASES.get(inp["object_type"], inp["object_type"])
            oid = inp.get("object")
            if inp.get("lookup") and t == "serving-endpoints":
                oid = (endpoints or {}).get(oid, {}).get("id", oid)
            for ac in body.get("access_control_list") or []:
                kind = next((k for k in dbl.PRINCIPAL_FIELDS if ac.get(k)), None)
                if kind:
                    kind, name = dbl.acl_principal({kind: ac[kind]})
                    exp[f"acl|{t}/{oid}|{kind}:{name}"] = ac.get("permission_level")
    return exp


def present(exp: dict, entries: dict) -> tuple[int, list[str]]:
    missing = []
    for k, v in exp.items():
        if k not in entries:
            missing.append(k)
            continue
        if entries[k] != v and not dbl.covers(k, entries[k], v):
            missing.append(f"{k} (holds {entries[k]}, wants {v})")
    return len(exp) - len(missing), missing


def attribute(entry: str, phase: str, journal: list[dict], requests: dict, state_json: dict) -> str:
    """Which request removed or lowered the entry, and which resource sent it."""
    key = entry.split(": ", 1)[0]
    phases = PHASES[: PHASES.index(phase) + 1]
    hits = [r for r in journal if r.get("phase") in phases
            and (key in (r.get("removed") or []) or any(x.startswith(key + ":") for x in r.get("lowered") or []))]
    if not hits:
        return "no single request (?)"
    r = hits[-1]
    where = "" if r["phase"] == phase else f" during {r['phase']}, not restored"
    return f"{resource_for(r, requests, state_json)} ({r['method']} {r['path']}{where})"


PHASES = ["init", "plan1", "apply1", "plan2", "apply2", "destroy"]


def resource_for(r: dict, requests: dict, state_json: dict) -> str:
    path, body = r["path"], r.get("body") or {}
    if "cli-double" in (r.get("agent") or ""):
        seg = [urllib.parse.unquote(x) for x in path.split("/")]
        for a in requests["acl"]:
            if a["authoritative"] == "additive" and seg[-1] in (a["id"], a.get("resolved_id")):
                return a["address"]
        for g in requests["uc"]:
            if g["authoritative"] == "additive" and seg[-1].lower() == g["name"].lower():
                return g["address"]
        for x in requests["secret"]:
            if x.get("authoritative") == "additive" and x["scope"] == body.get("scope"):
                return x["address"]
        return "the additive step (CLI)"
    m = re.match(r"^/api/2\.1/unity-catalog/permissions/([^/]+)/(.+)$", path)
    if m:
        t, name = m.group(1), m.group(2).lower()
        principals = {c.get("principal") for c in body.get("changes") or []}
        cands = sorted({g["address"] for g in requests["uc"] if g["type"] == t and g["name"].lower() == name
                        and (g["authoritative"] == "securable" or g["principal"] in principals)})
        return " or ".join(cands) or f"unknown resource on {t} {name}"
    m = re.match(r"^/api/2\.0/permissions/(.+)/([^/]+)$", path)
    if m:
        t = dbl.ACL_TYPE_ALIASES.get(m.group(1), m.group(1))
        resources = ((state_json.get("values") or {}).get("root_module") or {}).get("resources") or []
        cands = sorted({x["address"] for x in resources if x["type"] == "databricks_permissions"
                        and str((x.get("values") or {}).get("id", "")).endswith("/" + m.group(2))})
        cands += sorted({a["address"] for a in requests["acl"] if a["type"] == t and a["id"] == m.group(2)
                         and a["address"] not in cands})
        return " or ".join(cands) or f"unknown resource on {t} {m.group(2)}"
    m = re.match(r"^/api/2\.0/apps(?:/([^/]+))?$", path)
    if m:
        name = urllib.parse.unquote(m.group(1) or "") or body.get("name")
        resources = ((state_json.get("values") or {}).get("root_module") or {}).get("resources") or []
        cands = sorted({x["address"] for x in resources if x["type"] == "databricks_app"
                        and (x.get("values") or {}).get("name") == name})
        return " or ".join(cands) or f"databricks_app {name} (Apps API)"
    if path.startswith("/api/2.0/secrets/acls/"):
        cands = sorted({s["address"] for s in requests["secret"]
                        if s["scope"] == body.get("scope") and s["principal"] == body.get("principal")})
        return " or ".join(cands) or "unknown secret ACL resource"
    return "unknown resource"


def count_changes(plan_json: dict) -> list[str]:
    out = []
    for rc in plan_json.get("resource_changes") or []:
        actions = (rc.get("change") or {}).get("actions") or []
        if actions not in (["no-op"], ["read"]):
            out.append(f"{'/'.join(actions)} {rc['address']}")
    return out


def display_names(stacks: list[Path]) -> dict[Path, str]:
    """Stack names, with as many parent directories as it takes to tell equal names apart
    (`report/canary`, `additive/canary`); `stacks` directories are skipped."""
    out = {}
    for st in stacks:
        parents = [x.name for x in st.parents if x.name and x.name != "stacks"]
        name, i = st.name, 0
        while any(o != st and o.name == st.name and display_of(o, i) == display_of(st, i) for o in stacks) \
                and i < len(parents):
            i += 1
        out[st] = display_of(st, i) if i else name
    return out


def display_of(st: Path, depth: int) -> str:
    parents = [x.name for x in st.parents if x.name and x.name != "stacks" and x.name != st.name]
    return "/".join(list(reversed(parents[:depth])) + [st.name])


def run_stack(stack: Path, n: int, args, tmproot: Path, profile: str, name: str | None = None) -> dict:
    t0 = time.time()
    name = name or stack.name
    work = tmproot / f"{n}-{stack.name}-{profile}"
    shutil.copytree(stack, work, ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate",
                                                               "*.tfstate.*"))
    (work / ".home").mkdir()
    (work / ".tmp").mkdir()
    doc = json.loads((stack / "cdk.tf.json").read_text())
    requests = all_requests(stack, doc)
    extra = json.loads(Path(args.extra_seed).read_text()) if args.extra_seed else None
    seed = make_seed(stack, args.deployer, extra, profile, args.forbid_principal)
    seed_path = work / "seed.json"
    seed_path.write_text(json.dumps(seed, indent=1))
    result: dict = {"stack": name, "label": args.label or "", "profile": profile, "dir": str(stack), "violations": [], "timings": {}, "error": None}
    double = Double(work, seed_path)
    try:
        # Resolve the additive steps' looked-up ids (what the CLI will find).
        state0 = double.get("/__state")
        for a in requests["acl"]:
            a["resolved_id"] = a["id"]
            if a.get("lookup") and a["type"] == "serving-endpoints":
                a["resolved_id"] = (state0["serving_endpoints"].get(a["id"]) or {}).get("id", a["id"])
        override = {
            "terraform": {"backend": {"local": {"path": "terraform.tfstate"}}},
            "provider": {"databricks": {"host": double.url, "token": "dapi-apply-harness"}},
        }
        protected = {k: {"lifecycle": {"prevent_destroy": False}}
                     for t, rs in (doc.get("resource") or {}).items() for k, r in rs.items()
                     if (r.get("lifecycle") or {}).get("prevent_destroy")
                     for _ in [t]}
        if protected:
            override["resource"] = {}
            for t, rs in (doc.get("resource") or {}).items():
                for k, r in rs.items():
                    if (r.get("lifecycle") or {}).get("prevent_destroy"):
                        override["resource"].setdefault(t, {})[k] = {"lifecycle": {"prevent_destroy": False}}
        (work / "zz_apply_harness_override.tf.json").write_text(json.dumps(override, indent=1))
        env = tf_env(work, args.cli_config, double.url)

        def tf(step: str, *tfargs: str, ok=(0,)) -> int:
            double.post("/__phase", {"phase": step})
            t = time.time()
            with open(work / f"{step}.log", "w") as log:
                try:
                    rc = subprocess.run([args.tf, f"-chdir={work}", *tfargs], env=env, stdout=log,
                                        stderr=subprocess.STDOUT, timeout=args.timeout).returncode
                except subprocess.TimeoutExpired:
                    rc = 124
            result["timings"][step] = round(time.time() - t, 1)
            if rc not in ok:
                tail = (work / f"{step}.log").read_text().splitlines()[-40:]
                raise StepError(step, rc, tail)
            return rc

        def show(step: str, *target: str) -> dict:
            p = subprocess.run([args.tf, f"-chdir={work}", "show", "-json", *target], env=env, capture_output=True,
                               text=True, timeout=args.timeout)
            if p.returncode != 0:
                raise StepError(f"show {step}", p.returncode, p.stderr.splitlines()[-20:])
            return json.loads(p.stdout)

        s0 = double.get("/__state")["entries"]
        tf("init", "init", "-input=false", "-no-color")
        tf("plan1", "plan", "-input=false", "-no-color", "-out=plan1.tfplan")
        m = re.search(r"Plan: (\d+) to add, (\d+) to change, (\d+) to destroy", (work / "plan1.log").read_text())
        result["planned"] = sum(int(x) for x in m.groups()) if m else 0
        tf("apply1", "apply", "-input=false", "-no-color", "plan1.tfplan")
        s1 = double.get("/__state")["entries"]
        state1 = show("state1")
        (work / "state1.json").write_text(json.dumps(state1, indent=1))
        rc = tf("plan2", "plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=plan2.tfplan", ok=(0, 2))
        changes2 = count_changes(show("plan2", "plan2.tfplan")) if rc == 2 else []
        if rc == 2 and not changes2:
            changes2 = ["plan -detailed-exitcode returned 2 (output changes only?)"]
        tf("apply2", "apply", "-input=false", "-no-color", "-auto-approve")
        s1b = double.get("/__state")["entries"]
        apply2_log = (work / "apply2.log").read_text()
        m = re.search(r"Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed", apply2_log)
        apply2_changes = sum(int(x) for x in m.groups()) if m else -1
        tf("destroy", "destroy", "-input=false", "-no-color", "-auto-approve")
        s2 = double.get("/__state")["entries"]
        journal = double.get("/__journal")["journal"]

        removed1, lowered1 = compare(s0, s1)
        removed2, lowered2 = compare(s0, s2)
        endpoints = double.get("/__state")["serving_endpoints"]
        # The additive steps' plan as written (cdk.tf.json, variables at their defaults) must be what
        # Terraform passed them and what they did: a reference's value reaches the step as data only.
        # What they are expected to grant is that plan; the payloads in the state count only where
        # the plan holds references the harness cannot resolve.
        planned_add = additive_keys(requests, endpoints, skip_refs=True)
        unresolved = len(additive_keys(requests, endpoints)) != len(planned_add)
        applied_add = applied_additive(state1, endpoints)
        current = {k: [x for x in v if not x.get("legacy")] for k, v in requests.items()}  # payload shape only
        payload_mismatch = [] if unresolved else sorted(
            set(additive_keys(current, endpoints, skip_refs=True).items()) ^ set(applied_add.items()))
        expected = expected_from_state(state1, requests, endpoints, additive=unresolved)
        expected.update(planned_add)
        n_present, missing = present(expected, s1)
        # Nothing beyond the plan on objects that existed before (the seeded ones): a new entry or a
        # changed level there must be one the stack grants.
        shared = {obj_of(k) for k in s0}
        unplanned = sorted(f"{k}: {s0.get(k, '-')} -> {v}" for k, v in s1.items()
                           if obj_of(k) in shared and s0.get(k) != v and expected.get(k) != v)
        forbidden = sorted(k for k in {**s1, **s2} if principal_of(k) in set(args.forbid_principal or []))
        pwned = sorted(str(x.relative_to(work)) for x in work.rglob("pwned*") if ".terraform" not in x.parts)
        drift_apply2 = sorted(set(s1) ^ set(s1b)) + [k for k in s1 if k in s1b and s1[k] != s1b[k]]
        unknown = [f"{r['method']} {r['path']}" for r in journal if r.get("unknown")]
        cli = [json.loads(x) for x in (work / "cli.jsonl").read_text().splitlines()] if (work / "cli.jsonl").exists() else []
        result.update({
            "seeded": len(s0), "removed_apply": removed1, "lowered_apply": lowered1,
            "removed_destroy": removed2, "lowered_destroy": lowered2, "plan2_changes": changes2,
            "apply2_changes": apply2_changes, "apply2_drift": drift_apply2,
            "granted": len(expected), "granted_present": n_present, "granted_missing": missing,
            "unplanned": unplanned, "forbidden": forbidden, "pwned": pwned, "payload_mismatch": payload_mismatch,
            "planned_additive": sorted(f"{k}={v}" for k, v in planned_add.items()),
            "added_on_shared": sorted(f"{k}={v}" for k, v in s1.items() if obj_of(k) in shared and s0.get(k) != v),
            "unknown_requests": sorted(set(unknown)), "requests": len(journal), "cli_calls": cli,
            "attribution": {
                "apply": {e: attribute(e, "apply1", journal, requests, state1) for e in removed1 + lowered1},
                # Only what destroy itself took away; what apply removed and destroy did not restore is
                # counted in removed(destroy) and listed under apply.
                "destroy": {e: attribute(e, "destroy", journal, requests, state1) for e in removed2 + lowered2
                            if e not in removed1 and e.split(": ")[0] not in {x.split(": ")[0] for x in lowered1}},
            },
            "api_calls": sorted({f"{r['method']} {re.sub(r'/[0-9a-f]{32}(?=/|$)', '/{id}', r['path'])}"
                                 for r in journal}),
        })
        v = result["violations"]
        if removed1:
            v.append(f"{len(removed1)} seeded entries removed by apply")
        if lowered1:
            v.append(f"{len(lowered1)} seeded entries lowered by apply")
        if removed2:
            v.append(f"{len(removed2)} seeded entries removed by destroy")
        if lowered2:
            v.append(f"{len(lowered2)} seeded entries lowered by destroy")
        if missing:
            v.append(f"{len(missing)} granted entries missing after apply")
        if unplanned:
            v.append(f"{len(unplanned)} entries granted beyond the plan on pre-existing objects")
        if forbidden:
            v.append(f"{len(forbidden)} entries for a forbidden principal ({', '.join(args.forbid_principal)})")
        if pwned:
            v.append(f"a crafted value ran as a command (created {', '.join(pwned)})")
        if payload_mismatch:
            v.append(f"the additive steps' applied payloads differ from the plan ({len(payload_mismatch)} entries)")
        if changes2:
            v.append(f"second plan has {len(changes2)} change(s)")
        if apply2_changes != 0 or drift_apply2:
            v.append(f"second apply changed something ({apply2_changes} resources, {len(drift_apply2)} entries)")
        if unknown:
            v.append(f"{len(set(unknown))} request(s) the double does not know")
    except StepError as e:
        result["error"] = f"{e.step} failed (exit {e.rc})"
        result["error_tail"] = e.tail
        result["violations"].append(result["error"])
        try:
            journal = double.get("/__journal")["journal"]
            result["unknown_requests"] = sorted({f"{r['method']} {r['path']}" for r in journal if r.get("unknown")})
            result["errors_from_double"] = [f"{r['method']} {r['path']} -> {r['status']}: {r.get('error')}"
                                            for r in journal if r.get("status", 200) >= 400][-10:]
        except Exception:  # noqa: BLE001
            pass
    finally:
        double.stop()
    result["seconds"] = round(time.time() - t0, 1)
    result["work"] = str(work)
    return result


def obj_of(entry: str) -> str:
    """The object part of a flattened entry: `uc|table/main.s.t`, `acl|warehouses/ID`, `secret|scope`."""
    return "|".join(entry.split("|")[:2])


def principal_of(entry: str) -> str:
    parts = entry.split("|")
    if parts[0] == "acl":
        return "|".join(parts[2:]).split(":", 1)[-1]
    if parts[0] == "uc":
        return "|".join(parts[2:-1])
    return "|".join(parts[2:])


class StepError(Exception):
    def __init__(self, step: str, rc: int, tail: list[str]):
        super().__init__(step)
        self.step, self.rc, self.tail = step, rc, tail


def short(entry: str) -> str:
    parts = entry.split("|")
    if parts[0] == "uc":
        return f"UC {parts[1]} {parts[2]}: {parts[3]}"
    if parts[0] == "acl":
        return f"ACL {parts[1]} {parts[2].split(': ')[0]}" + (f" ({entry.split(': ', 1)[1]})" if ": " in entry else "")
    return f"secret scope {parts[1]} {parts[2]}"


def compact(entries: list[str]) -> list[str]:
    """UC entries grouped per (securable, principal); others one per line."""
    uc: dict[tuple[str, str], list[str]] = {}
    out = []
    for e in sorted(entries):
        parts = e.split(": ", 1)[0].split("|")
        if parts[0] == "uc":
            uc.setdefault((parts[1], parts[2]), []).append(parts[3])
        else:
            out.append(short(e))
    return [f"UC {s} {p}: {', '.join(sorted(v))}" for (s, p), v in sorted(uc.items())] + out


TABLE_COLS = ["stack", "seeded", "removed(apply)", "removed(destroy)", "lowered(a/d)", "plan2 changes",
              "granted&present", "unplanned", "apply2", "unknown", "time"]


def table_row(r: dict, name: str) -> list[str]:
    if "seeded" not in r:
        return [name, "-", "-", "-", "-", "-", "-", "-", "-", str(len(r.get("unknown_requests") or [])),
                f"{r['seconds']}s"]
    return [name, str(r["seeded"]), str(len(r["removed_apply"])), str(len(r["removed_destroy"])),
            f"{len(r['lowered_apply'])}/{len(r['lowered_destroy'])}", str(len(r["plan2_changes"])),
            f"{r['granted_present']}/{r['granted']}", str(len(r.get("unplanned") or [])), str(r["apply2_changes"]),
            str(len(r["unknown_requests"])), f"{r['seconds']}s"]


def print_table(cols: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(c), *(len(row[i]) for row in rows)) if rows else len(c) for i, c in enumerate(cols)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    print(line(cols))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))


def totals(results: list[dict]) -> dict:
    ok = [r for r in results if "seeded" in r]
    return {
        "stacks": len(results), "seeded": sum(r["seeded"] for r in ok),
        "removed_apply": sum(len(r["removed_apply"]) for r in ok),
        "removed_destroy": sum(len(r["removed_destroy"]) for r in ok),
        "lowered": sum(len(r["lowered_apply"]) + len(r["lowered_destroy"]) for r in ok),
        "plan2": sum(len(r["plan2_changes"]) for r in ok),
        "granted": sum(r["granted"] for r in ok), "present": sum(r["granted_present"] for r in ok),
        "unplanned": sum(len(r.get("unplanned") or []) for r in ok), "errors": len(results) - len(ok),
    }


def total_line(t: dict) -> str:
    return (f"total: {t['stacks']} stacks, {t['seeded']} entries seeded, {t['removed_apply']} removed after apply, "
            f"{t['removed_destroy']} removed after destroy, {t['lowered']} lowered, {t['plan2']} second-plan changes, "
            f"{t['present']}/{t['granted']} granted present, {t['unplanned']} unplanned"
            + (f", {t['errors']} stacks did not run to the end" if t["errors"] else ""))


def verdict_ok(r: dict, expect_violation: bool) -> bool:
    return bool(r["violations"]) if expect_violation else not r["violations"]


def exact(results: list[dict], prefix: str) -> int:
    """Per principal, what the additive steps of the fresh-profile stacks named PREFIX* planned
    against what appeared on the pre-existing objects: they must be equal (nothing more, nothing less)."""
    failed, checked = 0, 0
    for r in results:
        if not r["stack"].startswith(prefix) or r.get("profile") != "fresh" or "planned_additive" not in r:
            continue
        checked += 1
        by: dict[str, list[set, set]] = {}
        for i, key in enumerate(("planned_additive", "added_on_shared")):
            for e in r[key]:
                by.setdefault(principal_of(e.rsplit("=", 1)[0]), [set(), set()])[i].add(e)
        for principal, (planned, added) in sorted(by.items()):
            ok = planned == added
            failed += 0 if ok else 1
            print(f"{'PASS' if ok else 'FAIL'} {r['stack']}: {json.dumps(principal, ensure_ascii=False)} "
                  + (f"holds exactly the {len(planned)} planned entries" if ok else
                     f"planned {sorted(planned - added)} not added, added {sorted(added - planned)} not planned"))
    print(f"apply-exact: {checked} stacks, {failed} principals differ from the plan")
    return 1 if failed or not checked else 0


def summary(runs: list[list[dict]]) -> int:
    """One table over several runs (their --json-out files): a row per stack, then the totals of the
    runs that must hold every invariant and, apart, of the controls (--expect-violation)."""
    rows, plain, controls, failed = [], [], [], 0
    for results in runs:
        for r in results:
            exp = bool(r.get("expect_violation"))
            name = f"{r.get('label') or '-'}/{r['stack']} ({r.get('profile')})" + (" control" if exp else "")
            rows.append(table_row(r, name))
            (controls if exp else plain).append(r)
            failed += 0 if verdict_ok(r, exp) else 1
    print_table(TABLE_COLS, rows)
    print()
    print(total_line(totals(plain)))
    if controls:
        print(f"controls: {len(controls)} stacks, {sum(1 for r in controls if r['violations'])} broke an invariant "
              f"as they must")
    print(f"apply-summary: {len(rows) - failed} passed, {failed} failed")
    return 1 if failed else 0


def display_name(r: dict, several: bool) -> str:
    return f"{r['stack']} ({r['profile']})" if several else r["stack"]


def report(results: list[dict], expect_violation: bool, wall: float = 0.0) -> int:
    several = len({r["profile"] for r in results}) > 1
    print_table(TABLE_COLS, [table_row(r, display_name(r, several)) for r in results])
    print()
    failed = 0
    for r in results:
        violated = bool(r["violations"])
        ok = violated if expect_violation else not violated
        verdict = "PASS" if ok else "FAIL"
        if expect_violation and violated:
            verdict += " (violation expected)"
        print(f"{verdict} {display_name(r, several)}: " + ("; ".join(r["violations"]) or "all invariants hold")
              + f"  [timings: {', '.join(f'{k} {v}s' for k, v in r['timings'].items())}]")
        if r.get("error"):
            for x in r.get("errors_from_double") or []:
                print(f"    double: {x}")
            for x in (r.get("error_tail") or [])[-15:]:
                print(f"    | {x}")
        carried = len(r.get("removed_destroy") or []) + len(r.get("lowered_destroy") or []) - len(
            (r.get("attribution") or {}).get("destroy", {}))
        if carried > 0:
            print(f"    ({carried} of the entries apply removed or lowered were still missing or lower after destroy)")
        for phase, label in (("apply", "by apply"), ("destroy", "by destroy")):
            groups: dict[tuple[str, str], list[str]] = {}
            for e, who in (r.get("attribution") or {}).get(phase, {}).items():
                kind = "lowered" if ": " in e else "removed"
                parts = e.split(": ", 1)[0].split("|")
                groups.setdefault((who, kind), []).append(e)
            for (who, kind), es in sorted(groups.items()):
                print(f"    {kind} {label}: {who}")
                for line in compact(es):
                    print(f"        {line}")
        for x in r.get("granted_missing") or []:
            print(f"    granted but missing: {short(x)}")
        for x in r.get("unplanned") or []:
            print(f"    granted beyond the plan: {short(x)}")
        for x in r.get("forbidden") or []:
            print(f"    forbidden principal: {short(x)}")
        for x in r.get("payload_mismatch") or []:
            print(f"    planned/applied payload differ: {short(x[0])} ({x[1]})")
        for x in r.get("plan2_changes") or []:
            print(f"    second plan: {x}")
        for x in r.get("unknown_requests") or []:
            print(f"    unknown request: {x}")
        if not ok:
            failed += 1
    total = sum(r["seconds"] for r in results)
    print("\n" + total_line(totals(results)))
    print(f"apply-harness: {len(results) - failed} passed, {failed} failed ({total:.1f}s of stack time, "
          f"{wall:.1f}s wall)")
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("seed")
    s.add_argument("stack")
    s.add_argument("--deployer")
    s.add_argument("--extra-seed")
    s.add_argument("--seed-profile", choices=["full", "fresh", "mixed"], default="full")
    s.add_argument("--forbid-principal", action="append", default=[])
    r = sub.add_parser("run")
    r.add_argument("stacks", nargs="+")
    r.add_argument("--tf", required=True)
    r.add_argument("--cli-config", required=True)
    r.add_argument("--expect-violation", action="store_true")
    r.add_argument("--keep", action="store_true")
    r.add_argument("--deployer")
    r.add_argument("--extra-seed")
    r.add_argument("--seed-profile", default="full", help="full, fresh or mixed; a comma-separated list runs "
                                                         "every stack once per profile")
    r.add_argument("--json-out")
    r.add_argument("--timeout", type=int, default=300)
    r.add_argument("--jobs", type=int, default=int(os.environ.get("APPLY_JOBS", "1")),
                   help="stacks run in parallel (default $APPLY_JOBS or 1)")
    r.add_argument("--forbid-principal", action="append", default=[],
                   help="no entry may name this principal after apply or destroy (repeatable)")
    r.add_argument("--label", help="a label for the results (shown by the summary)")
    m = sub.add_parser("summary", help="one table and a total line over --json-out files")
    m.add_argument("files", nargs="+")
    x = sub.add_parser("exact", help="per principal: planned additive entries == entries added (fresh runs)")
    x.add_argument("file")
    x.add_argument("prefix")
    args = ap.parse_args()
    if args.cmd == "exact":
        return exact(json.loads(Path(args.file).read_text()), args.prefix)
    if args.cmd == "summary":
        return summary([json.loads(Path(f).read_text()) for f in args.files])
    if args.cmd == "seed":
        extra = json.loads(Path(args.extra_seed).read_text()) if args.extra_seed else None
        print(json.dumps(make_seed(Path(args.stack), args.deployer, extra, args.seed_profile, args.forbid_principal),
                         indent=1))
        return 0
    stacks: list[Path] = []
    for d in args.stacks:
        p = Path(d)
        if (p / "cdk.tf.json").is_file():
            stacks.append(p)
        elif p.is_dir():
            found = sorted(x.parent for x in p.rglob("cdk.tf.json") if ".terraform" not in x.parts)
            if not found:
                print(f"apply-harness: no cdk.tf.json under {p}", file=sys.stderr)
                return 2
            stacks.extend(found)
        else:
            print(f"apply-harness: not a directory: {p}", file=sys.stderr)
            return 2
    tmproot = Path(tempfile.mkdtemp(prefix="apply-harness."))
    t_wall = time.time()
    try:
        def one(item: tuple[int, tuple[Path, str]]) -> dict:
            i, (st, profile) = item
            try:
                res = run_stack(st, i, args, tmproot, profile, names[st])
            except Exception as e:  # noqa: BLE001  (a harness error fails the stack, not the run)
                res = {"stack": st.name, "label": args.label or "", "profile": profile, "dir": str(st),
                       "violations": [f"harness error: {e!r}"], "timings": {}, "error": repr(e), "seconds": 0.0}
            print(f"[apply] {res['stack']} ({profile}): {res['seconds']}s, "
                  f"{'; '.join(res['violations']) or 'invariants hold'}", file=sys.stderr, flush=True)
            return res
        profiles = args.seed_profile.split(",")
        if not profiles or any(x not in SEED_PROFILES for x in profiles):
            print(f"apply-harness: --seed-profile takes {', '.join(SEED_PROFILES)} (comma-separated)", file=sys.stderr)
            return 2
        runs = [(st, pr) for pr in profiles for st in stacks]
        names = display_names(stacks)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(one, enumerate(runs, 1)))
        if args.json_out:
            for r in results:
                r["expect_violation"] = args.expect_violation
            Path(args.json_out).write_text(json.dumps(results, indent=1))
        return report(results, args.expect_violation, time.time() - t_wall)
    finally:
        if args.keep:
            print(f"[apply] kept work directories under {tmproot}", file=sys.stderr)
        else:
            shutil.rmtree(tmproot, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
