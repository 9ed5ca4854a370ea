#!/usr/bin/env python3
"""Stateful loopback double of the Databricks REST endpoints that the Terraform provider 1.99.0 and
the library's additive step call for what the library emits.

Python 3.11 standard library only. Listens on 127.0.0.1, on a free port it writes to PORT_FILE.

Usage: api_double.py --seed SEED.json --port-file FILE [--journal FILE.jsonl] [--state-out FILE.json]

Endpoints (see README.md beside this file for which provider code calls each):
  SCIM        GET  /api/2.0/preview/scim/v2/Me                         the deployer (seed "deployer")
  serving     POST /api/2.0/serving-endpoints                          create (state READY/NOT_UPDATING)
              GET|DELETE /api/2.0/serving-endpoints/{name}
              PUT  /api/2.0/serving-endpoints/{name}/config            update config
              PATCH /api/2.0/serving-endpoints/{name}/tags             add_tags / delete_tags
              PUT  /api/2.0/serving-endpoints/{name}/ai-gateway
              GET  /api/2.0/serving-endpoints                          list
  ACLs        GET|PUT|PATCH /api/2.0/permissions/{type}/{id}           PUT replaces every direct entry,
                                                                       PATCH adds/sets the given ones
              GET  /api/2.0/permissions/{type}/{id}/permissionLevels
  UC grants   GET|PATCH /api/2.1/unity-catalog/permissions/{securable_type}/{full_name}
              GET  /api/2.1/unity-catalog/effective-permissions/{securable_type}/{full_name}
  secrets     POST /api/2.0/secrets/acls/put | /api/2.0/secrets/acls/delete
              GET  /api/2.0/secrets/acls/get | /api/2.0/secrets/acls/list | /api/2.0/secrets/scopes/list
  apps        POST /api/2.0/apps[?no_compute=]                          create (compute STARTING, then ACTIVE
                                                                       after options.app_start_polls GETs)
              GET|PATCH|DELETE /api/2.0/apps/{name}   GET /api/2.0/apps (list)
                                                                       (app ACL: /api/2.0/permissions/apps/{name})
  lookups     GET  /api/2.0/sql/warehouses/{id}, /api/2.0/vector-search/endpoints/{name},
              /api/2.0/database/instances/{name}, /api/2.0/genie/spaces/{id}
  harness     GET  /__state (full state, JSON)    POST /__phase {"phase": NAME}    POST /__shutdown
              GET  /__journal (every request so far)

Anything else answers 501 NOT_IMPLEMENTED_IN_DOUBLE and is logged to stderr and the journal as
"unknown": the harness fails a stack that sent one.

Every request is journaled (JSON lines) with the phase, and every mutating request with the
flattened entries it added, removed or lowered, so the harness can say which request (and so which
resource) took access away.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import http.server
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse
import uuid
from typing import Any

# ---------------------------------------------------------------------------------------------
# Workspace object ACLs (Permissions API).
# ---------------------------------------------------------------------------------------------

# request object type (path segment(s)) -> canonical key. The CLI uses "warehouses", the provider
# "sql/warehouses": one object either way.
ACL_TYPE_ALIASES = {
    "sql/warehouses": "warehouses",
    "warehouses": "warehouses",
    "serving-endpoints": "serving-endpoints",
    "genie": "genie",
    "vector-search-endpoints": "vector-search-endpoints",
    "database-instances": "database-instances",
    "apps": "apps",
    "registered-models": "registered-models",
    "experiments": "experiments",
    "jobs": "jobs",
    "clusters": "clusters",
    "pipelines": "pipelines",
    "dashboards": "dashboards",
    # Agent Bricks and Lakebase Autoscaling (permission_definitions.go at provider 1.128: knowledge_assistant_id,
    # supervisor_agent_id, database_project_name; request and response object type are the same). Provider
    # 1.99 has none of them: only the library's additive step (the CLI) reaches them.
    "knowledge-assistants": "knowledge-assistants",
    "supervisor-agents": "supervisor-agents",
    "database-projects": "database-projects",
}
# canonical key -> (object_type in responses, object_id prefix). The provider checks object_type
# against its own table (permissions/permission_definitions.go: serving-endpoint, warehouses, ...).
ACL_RESPONSE = {
    "serving-endpoints": ("serving-endpoint", "/serving-endpoints/"),
    "warehouses": ("warehouses", "/sql/warehouses/"),
    "genie": ("genie", "/genie/"),
    "vector-search-endpoints": ("vector-search-endpoints", "/vector-search-endpoints/"),
    "database-instances": ("database-instances", "/database-instances/"),
    "apps": ("apps", "/apps/"),
    "registered-models": ("registered-model", "/registered-models/"),
    "experiments": ("mlflowExperiment", "/experiments/"),
    "jobs": ("job", "/jobs/"),
    "clusters": ("cluster", "/clusters/"),
    "pipelines": ("pipelines", "/pipelines/"),
    "dashboards": ("dashboard", "/dashboards/"),
    "knowledge-assistants": ("knowledge-assistants", "/knowledge-assistants/"),
    "supervisor-agents": ("supervisor-agents", "/supervisor-agents/"),
    "database-projects": ("database-projects", "/database-projects/"),
}
# Allowed direct levels, lowest first (the order defines "lowered").
ACL_LEVELS = {
    "serving-endpoints": ["CAN_VIEW", "CAN_QUERY", "CAN_MANAGE"],
    "warehouses": ["CAN_VIEW", "CAN_USE", "CAN_MONITOR", "CAN_MANAGE", "IS_OWNER"],
    # Genie: the Permissions API view level is CAN_READ (CAN_VIEW accepted as its alias, unconfirmed).
    "genie": ["CAN_VIEW", "CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"],
    "vector-search-endpoints": ["CAN_USE", "CAN_MANAGE"],
    "database-instances": ["CAN_USE", "CAN_MANAGE"],
    "apps": ["CAN_USE", "CAN_MANAGE"],
    "registered-models": ["CAN_READ", "CAN_EDIT", "CAN_MANAGE_STAGING_VERSIONS", "CAN_MANAGE_PRODUCTION_VERSIONS", "CAN_MANAGE"],
    "experiments": ["CAN_READ", "CAN_EDIT", "CAN_MANAGE"],
    "jobs": ["CAN_VIEW", "CAN_MANAGE_RUN", "CAN_MANAGE", "IS_OWNER"],
    "clusters": ["CAN_ATTACH_TO", "CAN_RESTART", "CAN_MANAGE"],
    "pipelines": ["CAN_VIEW", "CAN_RUN", "CAN_MANAGE", "IS_OWNER"],
    "dashboards": ["CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"],
    "knowledge-assistants": ["CAN_QUERY", "CAN_MANAGE"],
    "supervisor-agents": ["CAN_QUERY", "CAN_MANAGE"],
    "database-projects": ["CAN_USE", "CAN_MANAGE"],
}
# ACL type -> STATE.objects kind: the object must exist (seeded, or created) for its ACL to be read or written.
ACL_OBJECT_KINDS = {"warehouses": "warehouses", "genie": "genie_spaces", "vector-search-endpoints": "vector_search_endpoints",
                    "apps": "apps", "database-instances": "database_instances",
                    "knowledge-assistants": "knowledge_assistants", "supervisor-agents": "supervisor_agents",
                    "database-projects": "database_projects"}
# Object kinds seeded as plain dicts keyed by "id" (apps are built by State._new_app).
SEEDED_OBJECT_KINDS = ("warehouses", "vector_search_endpoints", "database_instances", "genie_spaces",
                       "knowledge_assistants", "supervisor_agents", "database_projects")
# Levels that are not ordered: a SQL warehouse's CAN_MONITOR (query history, monitoring) and CAN_USE
# (start, run queries) each allow what the other does not, so replacing one by the other loses
# access. Everything else is the linear order of ACL_LEVELS.
INCOMPARABLE = {"warehouses": {frozenset({"CAN_USE", "CAN_MONITOR"})}}
OWNER_TYPES = {"warehouses", "jobs", "pipelines"}
PRINCIPAL_FIELDS = ("user_name", "group_name", "service_principal_name")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# ---------------------------------------------------------------------------------------------
# Databricks Apps (service/apps in the Go SDK 0.93.0; provider pluginfw/products/app/resource_app.go).
# ---------------------------------------------------------------------------------------------

APP_NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])$")
# What a create or update body may set (the rest is the server's).
APP_INPUT_FIELDS = ("description", "resources", "user_api_scopes", "budget_policy_id", "compute_size")
# resources[] kind -> allowed permissions (apps.AppResource*Permission enums of the SDK 0.93.0).
APP_RESOURCE_PERMISSIONS = {
    "serving_endpoint": {"CAN_QUERY", "CAN_MANAGE", "CAN_VIEW"},
    "sql_warehouse": {"CAN_USE", "CAN_MANAGE", "IS_OWNER"},
    "genie_space": {"CAN_VIEW", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"},
    "secret": {"READ", "WRITE", "MANAGE"},
    "job": {"CAN_VIEW", "CAN_MANAGE_RUN", "CAN_MANAGE", "IS_OWNER"},
    "database": {"CAN_CONNECT_AND_CREATE"},
    "uc_securable": {"READ_VOLUME", "WRITE_VOLUME"},
}
# resources[] kind -> (ACL type, field naming the object) for the kinds granted through the Permissions API.
APP_RESOURCE_ACL = {"serving_endpoint": ("serving-endpoints", "name"), "sql_warehouse": ("warehouses", "id"),
                    "genie_space": ("genie", "space_id"), "job": ("jobs", "id")}

# ---------------------------------------------------------------------------------------------
# Unity Catalog.
# ---------------------------------------------------------------------------------------------

UC_TYPE_ALIASES = {
    "catalog": "catalog",
    "schema": "schema",
    "table": "table",
    "view": "table",
    "function": "function",
    # The provider sends UC registered models as "function" (catalog/permissions/permissions.go).
    "registered_model": "function",
    "model": "function",
    "connection": "connection",
    "foreign_connection": "connection",
    "volume": "volume",
    "external_location": "external_location",
    "storage_credential": "storage_credential",
    "credential": "credential",
    "metastore": "metastore",
    "share": "share",
    "recipient": "recipient",
    "pipeline": "pipeline",
    # Unity Gateway services (three-level names; databricks_grant has model_service and mcp_service from
    # provider 1.127): EXECUTE is what calling one needs.
    "model_service": "model_service",
    "mcp_service": "mcp_service",
}
_COMMON = {"ALL_PRIVILEGES", "APPLY_TAG", "MANAGE"}
UC_PRIVILEGES: dict[str, set[str]] = {
    "catalog": _COMMON
    | {"BROWSE", "CREATE_FUNCTION", "CREATE_MATERIALIZED_VIEW", "CREATE_MODEL", "CREATE_SCHEMA", "CREATE_TABLE",
       "CREATE_VOLUME", "EXECUTE", "EXTERNAL_USE_SCHEMA", "MODIFY", "READ_VOLUME", "REFRESH", "SELECT",
       "USE_CATALOG", "USE_SCHEMA", "WRITE_VOLUME", "CREATE_MODEL_VERSION"},
    "schema": _COMMON
    | {"CREATE_FUNCTION", "CREATE_MATERIALIZED_VIEW", "CREATE_MODEL", "CREATE_TABLE", "CREATE_VOLUME", "EXECUTE",
       "EXTERNAL_USE_SCHEMA", "MODIFY", "READ_VOLUME", "REFRESH", "SELECT", "USE_SCHEMA", "WRITE_VOLUME",
       "CREATE_MODEL_VERSION"},
    "table": _COMMON | {"MODIFY", "SELECT", "REFRESH"},
    "function": _COMMON | {"EXECUTE", "CREATE_MODEL_VERSION"},
    "connection": _COMMON | {"CREATE_FOREIGN_CATALOG", "USE_CONNECTION"},
    "volume": _COMMON | {"READ_VOLUME", "WRITE_VOLUME"},
    "model_service": _COMMON | {"EXECUTE"},
    "mcp_service": _COMMON | {"EXECUTE"},
}
SECRET_LEVELS = ["READ", "WRITE", "MANAGE"]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def norm_priv(p: str) -> str:
    return p.strip().upper().replace(" ", "_")


def uc_key(securable_type: str, full_name: str) -> str:
    return f"{securable_type}/{full_name.lower()}"


def acl_principal(entry: dict) -> tuple[str, str]:
    present = [(f, entry[f]) for f in PRINCIPAL_FIELDS if entry.get(f)]
    if len(present) != 1:
        raise ApiError(400, "INVALID_PARAMETER_VALUE",
                       "Each access control entry must name exactly one of user_name, group_name, service_principal_name")
    kind, name = present[0]
    # A service principal's SCIM userName is its application id; the provider sends the applying
    # identity as user_name even when it is a service principal (update.AddCurrentUserAsManage).
    if kind == "user_name" and UUID_RE.match(name):
        kind = "service_principal_name"
    return kind, name


class State:
    def __init__(self, seed: dict):
        self.lock = threading.RLock()
        self.deployer = seed.get("deployer") or {"user_name": "deployer@example.com"}
        self.options = {"reject_add_and_remove": True, "patch_semantics": "replace", "strict_principals": False,
                        "strict_securables": True, "app_start_polls": 1, "app_compute_error": [],
                        **(seed.get("options") or {})}
        self.principals = {(p["kind"], p["name"]) for p in seed.get("principals", [])}
        self.uc: dict[str, dict[str, list[str]]] = {}
        for g in seed.get("uc_grants", []):
            t = UC_TYPE_ALIASES.get(g["securable_type"].lower(), g["securable_type"].lower())
            k = uc_key(t, g["full_name"])
            privs = self.uc.setdefault(k, {}).setdefault(g["principal"], [])
            for p in g.get("privileges", []):
                if norm_priv(p) not in privs:
                    privs.append(norm_priv(p))
        for s in seed.get("uc_securables", []):
            t = UC_TYPE_ALIASES.get(s["securable_type"].lower(), s["securable_type"].lower())
            self.uc.setdefault(uc_key(t, s["full_name"]), {})
        # canonical "type/id" -> {"owner": (kind, name) | None, "entries": {(kind, name): level}}
        self.acls: dict[str, dict] = {}
        for a in seed.get("acls", []):
            t = ACL_TYPE_ALIASES.get(a["object_type"], a["object_type"])
            obj = self.acls.setdefault(f"{t}/{a['object_id']}", {"entries": {}})
            for e in a.get("access_control_list", []):
                obj["entries"][acl_principal(e)] = e["permission_level"]
        self.secret_acls: dict[str, dict[str, str]] = {}
        for s in seed.get("secret_scopes", []):
            self.secret_acls.setdefault(s["name"], {})
            for principal, perm in (s.get("acls") or {}).items():
                self.secret_acls[s["name"]][principal] = perm
        self.endpoints: dict[str, dict] = {}
        for e in seed.get("serving_endpoints", []):
            ep = self._new_endpoint(e, creator=e.get("creator", "someone-else@example.com"), seeded=True)
            self.endpoints[ep["name"]] = ep
        self.objects = {k: {o["id"]: o for o in seed.get(k, [])} for k in SEEDED_OBJECT_KINDS}
        # Apps by name (seeded ones are shared apps that exist already: ACTIVE, with their own principal).
        self.app_seq = 0
        self.objects["apps"] = {}
        for a in seed.get("apps", []):
            app = self._new_app({k: v for k, v in a.items() if k in APP_INPUT_FIELDS or k == "name"} | {"name": a.get("name") or a["id"]},
                                creator=a.get("creator", "someone-else@example.com"), no_compute=False)
            app["_polls_left"] = 0
            self.objects["apps"][app["name"]] = app
        self.phase = "init"
        self.journal: list[dict] = []
        self.seq = 0

    # -- flattened entries, for invariant checks -------------------------------------------------
    def entries(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, principals in self.uc.items():
            for principal, privs in principals.items():
                for p in privs:
                    out[f"uc|{k}|{principal}|{p}"] = p
        for k, obj in self.acls.items():
            for (kind, name), level in obj["entries"].items():
                out[f"acl|{k}|{kind}:{name}"] = level
        for scope, acl in self.secret_acls.items():
            for principal, perm in acl.items():
                out[f"secret|{scope}|{principal}"] = perm
        return out

    def dump(self) -> dict:
        with self.lock:
            return {
                "phase": self.phase,
                "deployer": self.deployer,
                "uc": copy.deepcopy(self.uc),
                "acls": {k: {"entries": [{"principal": f"{kind}:{name}", "permission_level": lvl}
                                         for (kind, name), lvl in sorted(v["entries"].items())]}
                         for k, v in sorted(self.acls.items())},
                "secret_acls": copy.deepcopy(self.secret_acls),
                "serving_endpoints": {n: {"id": e["id"], "creator": e["creator"]} for n, e in self.endpoints.items()},
                "apps": {n: {k: a.get(k) for k in ("id", "creator", "service_principal_client_id", "service_principal_id",
                                                  "service_principal_name", "resources", "user_api_scopes")}
                         for n, a in self.objects["apps"].items()},
                "entries": self.entries(),
            }

    # -- helpers -----------------------------------------------------------------------------------
    def deployer_name(self) -> str:
        d = self.deployer
        return d.get("user_name") or d.get("application_id") or d.get("service_principal_name")

    def _check_principal(self, kind: str, name: str) -> None:
        if self.options["strict_principals"] and (kind, name) not in self.principals and name != self.deployer_name():
            label = {"user_name": "User", "group_name": "Group", "service_principal_name": "ServicePrincipal"}[kind]
            raise ApiError(400, "INVALID_PARAMETER_VALUE", f"Principal: {label}Name({name}) does not exist")

    def _new_endpoint(self, body: dict, creator: str, seeded: bool = False) -> dict:
        name = body.get("name") or ""
        if not re.match(r"^[A-Za-z0-9_-]{1,63}$", name):
            raise ApiError(400, "INVALID_PARAMETER_VALUE",
                           f"Endpoint name '{name}' must be 1-63 letters, digits, '-' or '_'")
        ep_id = body.get("id") or hashlib.sha256(f"{name}|{time.time_ns()}".encode()).hexdigest()[:32]
        config = copy.deepcopy(body.get("config") or {})
        self._fill_config(config)
        ep = {
            "name": name,
            "id": ep_id,
            "creator": creator,
            "creation_timestamp": int(time.time() * 1000),
            "last_updated_timestamp": int(time.time() * 1000),
            "config": config,
            "tags": copy.deepcopy(body.get("tags") or []),
            "route_optimized": bool(body.get("route_optimized", False)),
            "state": {"ready": "READY", "config_update": "NOT_UPDATING"},
            "task": "agent/v1/chat",
        }
        for k in ("ai_gateway", "description", "budget_policy_id", "email_notifications"):
            if body.get(k) is not None:
                ep[k] = copy.deepcopy(body[k])
        return ep

    @staticmethod
    def _fill_config(config: dict) -> None:
        # What the server adds: served entity names, both route name fields, a config version.
        config.setdefault("config_version", 1)
        for i, se in enumerate(config.get("served_entities") or []):
            se.setdefault("name", f"{(se.get('entity_name') or 'entity').split('.')[-1]}-{se.get('entity_version', i)}")
            se.setdefault("workload_type", "CPU")
            se["state"] = {"deployment": "DEPLOYMENT_READY"}
        routes = ((config.get("traffic_config") or {}).get("routes")) or []
        for r in routes:
            n = r.get("served_entity_name") or r.get("served_model_name")
            r["served_entity_name"] = n
            r["served_model_name"] = n

    # -- apps ------------------------------------------------------------------------------------------
    def _new_app(self, body: dict, creator: str, no_compute: bool) -> dict:
        name = body.get("name") or ""
        if not APP_NAME_RE.match(name):
            raise ApiError(400, "INVALID_PARAMETER_VALUE",
                           f"App name '{name}' must contain only lowercase alphanumeric characters and hyphens, "
                           "2-30 characters, and start and end with a letter or digit.")
        self.app_seq += 1
        digest = hashlib.sha256(f"app|{name}|{self.app_seq}".encode()).hexdigest()
        client_id = str(uuid.UUID(digest[:32], version=4))
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        app = {
            "name": name,
            "id": str(uuid.UUID(digest[32:64], version=4)),
            "creator": creator, "updater": creator, "create_time": now, "update_time": now,
            "url": f"https://{name}-1234567890123456.aws.databricksapps.com",
            "compute_size": "MEDIUM",
            "default_source_code_path": f"/Workspace/Users/{creator}/{name}",
            # The app's own service principal: created with the app, its application id is the client id.
            "service_principal_client_id": client_id,
            "service_principal_id": int(digest[:13], 16),
            "service_principal_name": f"app-{digest[40:46]} {name}",
            "oauth2_app_client_id": client_id,
            "oauth2_app_integration_id": str(uuid.UUID(digest[16:48], version=4)),
            "_no_compute": no_compute,
            "_polls_left": 0 if no_compute else int(self.options["app_start_polls"]),
        }
        self._set_app_fields(app, body)
        return app

    def _set_app_fields(self, app: dict, body: dict) -> None:
        for k in APP_INPUT_FIELDS:
            if k in body and body[k] is not None:
                app[k] = copy.deepcopy(body[k])
            elif k in ("resources", "user_api_scopes", "description", "budget_policy_id"):
                app.pop(k, None)
        for r in app.get("resources") or []:
            check_app_resource(r)
        scopes = app.get("user_api_scopes") or []
        if scopes:
            # The implicit scopes every user-authorized app gets (REFERENCE: "implicit").
            app["effective_user_api_scopes"] = sorted(set(scopes) | {"iam.access-control:read", "iam.current-user:read"})
        else:
            app.pop("effective_user_api_scopes", None)
        if app.get("budget_policy_id"):
            app["effective_budget_policy_id"] = app["budget_policy_id"]

    def app_view(self, app: dict, poll: bool = False) -> dict:
        if poll and app["_polls_left"] > 0:
            app["_polls_left"] -= 1
            state, msg = "STARTING", "App compute is starting."
        elif app["_no_compute"]:
            state, msg = "STOPPED", "App compute is stopped."
        elif app["name"] in self.options["app_compute_error"]:
            state, msg = "ERROR", "App compute failed to start (api_double options.app_compute_error)."
        elif app["_polls_left"] > 0:
            state, msg = "STARTING", "App compute is starting."
        else:
            state, msg = "ACTIVE", "App compute is running."
        v = {k: copy.deepcopy(val) for k, val in app.items() if not k.startswith("_")}
        v["compute_status"] = {"state": state, "message": msg}
        v["app_status"] = ({"state": "UNAVAILABLE", "message": "App has not been deployed yet. Run your app by deploying source code"}
                           if state == "ACTIVE" else {"state": "UNAVAILABLE", "message": "App status is unavailable."})
        return v

    def grant_app_resources(self, app: dict) -> None:
        """What the Apps API does with `resources`: the app's service principal gets each resource's
        permission on the object (REFERENCE: "grants an App's principal natively"). Never lowers a level the
        principal already holds; nothing is revoked when a resource is dropped or the app deleted
        (assumption: not confirmed against a workspace)."""
        sp = app["service_principal_client_id"]
        for r in app.get("resources") or []:
            kind, spec = app_resource_kind(r)
            perm = spec.get("permission")
            if kind in APP_RESOURCE_ACL:
                t = APP_RESOURCE_ACL[kind][0]
                if t == "warehouses" and perm == "IS_OWNER":
                    continue
                oid = spec.get(APP_RESOURCE_ACL[kind][1], "")
                if t == "serving-endpoints":
                    ep = self.endpoints.get(oid)
                    if ep is None:
                        raise ApiError(400, "INVALID_PARAMETER_VALUE", f"Serving endpoint '{oid}' does not exist.")
                    oid = ep["id"]
                key, obj = acl_object(t, oid)
                held = obj["entries"].get(("service_principal_name", sp))
                if held is None or not covers(f"acl|{key}|x", held, perm):
                    obj["entries"][("service_principal_name", sp)] = perm
            elif kind == "secret":
                acl = secret_scope(spec.get("scope", ""))
                held = acl.get(sp)
                if held is None or SECRET_LEVELS.index(held) < SECRET_LEVELS.index(perm):
                    acl[sp] = perm
            elif kind == "uc_securable":
                _, _, grants = uc_securable(spec.get("securable_type", "volume"), spec.get("securable_full_name", ""))
                privs = grants.setdefault(sp, [])
                if perm not in privs:
                    privs.append(perm)
            elif kind == "database":
                if self.options["strict_securables"] and spec.get("instance_name") not in self.objects["database_instances"]:
                    raise ApiError(400, "INVALID_PARAMETER_VALUE",
                                   f"Database instance '{spec.get('instance_name')}' does not exist.")
                # CAN_CONNECT_AND_CREATE is a Postgres role on the instance, not a workspace ACL entry.

    def endpoint_view(self, ep: dict) -> dict:
        v = {k: copy.deepcopy(val) for k, val in ep.items()}
        v["endpoint_url"] = f"/serving-endpoints/{ep['name']}/invocations"
        v["permission_level"] = "CAN_MANAGE"
        return v


STATE: State
JOURNAL_PATH: str | None = None


def journal(record: dict) -> None:
    STATE.seq += 1
    record = {"seq": STATE.seq, "phase": STATE.phase, **record}
    STATE.journal.append(record)
    if JOURNAL_PATH:
        with open(JOURNAL_PATH, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, sort_keys=True) + "\n")


def covers(key: str, held: str, wanted: str) -> bool:
    """Does level `held` include everything level `wanted` allows, on the object of entry `key`?"""
    if held == wanted:
        return True
    order = level_order(key)
    if not order or held not in order or wanted not in order:
        return False
    t = key.split("|")[1].split("/")[0] if key.startswith("acl|") else ""
    if frozenset({held, wanted}) in INCOMPARABLE.get(t, set()):
        return False
    return order.index(held) >= order.index(wanted)


def diff_entries(before: dict, after: dict, order_of) -> dict:
    removed = sorted(k for k in before if k not in after)
    added = sorted(k for k in after if k not in before)
    lowered, raised = [], []
    for k in before:
        if k in after and before[k] != after[k]:
            (raised if covers(k, after[k], before[k]) else lowered).append(f"{k}: {before[k]} -> {after[k]}")
    return {"removed": removed, "added": added, "lowered": lowered, "raised": raised}


def level_order(key: str) -> list[str]:
    if key.startswith("secret|"):
        return SECRET_LEVELS
    if key.startswith("acl|"):
        return ACL_LEVELS.get(key.split("|")[1].split("/")[0], [])
    return []


# ---------------------------------------------------------------------------------------------
# Handlers. Each returns (status, body) or raises ApiError.
# ---------------------------------------------------------------------------------------------

def me() -> dict:
    d = STATE.deployer
    name = STATE.deployer_name()
    out = {
        "id": hashlib.sha256(name.encode()).hexdigest()[:16],
        "userName": name,
        "displayName": d.get("display_name", name),
        "active": True,
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:workspace:2.0:User"],
    }
    if "@" in name:
        out["emails"] = [{"value": name, "type": "work", "primary": True}]
    return out


def acl_object(type_path: str, obj_id: str, create: bool = False) -> tuple[str, dict]:
    t = ACL_TYPE_ALIASES.get(type_path)
    if t is None:
        raise ApiError(400, "INVALID_PARAMETER_VALUE", f"Unknown request object type {type_path}")
    key = f"{t}/{obj_id}"
    obj = STATE.acls.get(key)
    if obj is None:
        exists = (
            (t == "serving-endpoints" and any(e["id"] == obj_id for e in STATE.endpoints.values()))
            or (t in ACL_OBJECT_KINDS and obj_id in STATE.objects[ACL_OBJECT_KINDS[t]])
        )
        if not exists:
            raise ApiError(404, "RESOURCE_DOES_NOT_EXIST", f"{ACL_RESPONSE.get(t, (t,))[0]} {obj_id} does not exist.")
        obj = STATE.acls[key] = {"entries": {}}
    return key, obj


def acl_view(key: str, obj: dict) -> dict:
    t, obj_id = key.split("/", 1)
    otype, prefix = ACL_RESPONSE.get(t, (t, f"/{t}/"))
    acl = [{
        "group_name": "admins",
        "all_permissions": [{"permission_level": "CAN_MANAGE", "inherited": True, "inherited_from_object": [f"{prefix.rstrip('/')}/"]}],
    }]
    for (kind, name), level in sorted(obj["entries"].items()):
        acl.append({kind: name, "display_name": name,
                    "all_permissions": [{"permission_level": level, "inherited": False}]})
    return {"object_id": f"{prefix}{obj_id}", "object_type": otype, "access_control_list": acl}


def acl_write(method: str, type_path: str, obj_id: str, body: dict) -> dict:
    key, obj = acl_object(type_path, obj_id)
    t = key.split("/", 1)[0]
    levels = ACL_LEVELS.get(t, [])
    requested: dict[tuple[str, str], str] = {}
    for e in body.get("access_control_list") or []:
        kind, name = acl_principal(e)
        level = e.get("permission_level")
        if not level:
            raise ApiError(400, "INVALID_PARAMETER_VALUE", "permission_level is required")
        if levels and level not in levels:
            raise ApiError(400, "INVALID_PARAMETER_VALUE",
                           f"Permission type {level} is not defined for object type {ACL_RESPONSE[t][0]}; allowed: {', '.join(levels)}")
        if kind == "group_name" and name == "admins" and level != "CAN_MANAGE":
            raise ApiError(400, "INVALID_PARAMETER_VALUE", f"Cannot change permissions for group 'admins' to {level}.")
        STATE._check_principal(kind, name)
        requested[(kind, name)] = level
    owners = [p for p, lvl in requested.items() if lvl == "IS_OWNER"]
    if len(owners) > 1:
        raise ApiError(400, "INVALID_PARAMETER_VALUE", "An object can only have one owner")
    current_owner = [p for p, lvl in obj["entries"].items() if lvl == "IS_OWNER"]
    new = dict(obj["entries"]) if method == "PATCH" else {}
    if method == "PUT" and t in OWNER_TYPES and not owners:
        if not current_owner:
            raise ApiError(400, "INVALID_PARAMETER_VALUE",
                           f"{ACL_RESPONSE[t][0]} with no existing owner must provide a new owner")
        new[current_owner[0]] = "IS_OWNER"  # PUT without IS_OWNER keeps the owner (assumption)
    if owners:
        for p in current_owner:
            new.pop(p, None)
    for p, level in requested.items():
        if method == "PATCH" and STATE.options["patch_semantics"] == "max" and p in new and levels:
            if covers(f"acl|{key}|x", new[p], level):
                continue
        new[p] = level
    obj["entries"] = new
    return acl_view(key, obj)


def uc_securable(type_path: str, full_name: str) -> tuple[str, str, dict]:
    t = UC_TYPE_ALIASES.get(type_path.lower())
    if t is None:
        raise ApiError(400, "INVALID_PARAMETER_VALUE", f"Unknown securable type {type_path}")
    key = uc_key(t, full_name)
    if key not in STATE.uc:
        if STATE.options["strict_securables"]:
            raise ApiError(404, "NOT_FOUND" if t != "catalog" else "CATALOG_DOES_NOT_EXIST",
                           f"{t.capitalize()} '{full_name}' does not exist.")
        STATE.uc[key] = {}
    return t, key, STATE.uc[key]


def uc_view(grants: dict, principal: str | None = None) -> dict:
    pa = [{"principal": p, "privileges": sorted(privs)} for p, privs in sorted(grants.items())
          if privs and (principal is None or p == principal)]
    return {"privilege_assignments": pa} if pa else {}


def uc_patch(type_path: str, full_name: str, body: dict) -> dict:
    t, key, grants = uc_securable(type_path, full_name)
    changes = body.get("changes") or []
    allowed = UC_PRIVILEGES.get(t)
    adds: dict[str, set] = {}
    removes: dict[str, set] = {}
    for c in changes:
        principal = c.get("principal")
        if not principal:
            raise ApiError(400, "INVALID_PARAMETER_VALUE", "changes[].principal is required")
        for p in c.get("add") or []:
            if allowed is not None and norm_priv(p) not in allowed:
                raise ApiError(400, "INVALID_PARAMETER_VALUE",
                               f"Privilege {p} is not applicable to this entity [{full_name}:{t.upper()}]")
        if c.get("add"):
            # A principal that is not in the directory (e.g. an app's service principal before its app
            # exists) is refused, as the UC API does (strict_principals).
            kind = ("service_principal_name" if UUID_RE.match(principal)
                    else "user_name" if "@" in principal else "group_name")
            try:
                STATE._check_principal(kind, principal)
            except ApiError as e:
                raise ApiError(400, "PRINCIPAL_DOES_NOT_EXIST", f"Could not find principal with name {principal}") from e
        adds.setdefault(principal, set()).update(norm_priv(p) for p in c.get("add") or [])
        removes.setdefault(principal, set()).update(norm_priv(p) for p in c.get("remove") or [])
    if STATE.options["reject_add_and_remove"]:
        both = sorted(p for p in adds if adds[p] and removes.get(p))
        if both:
            # The real API refuses one PATCH that both adds and removes for a principal (provider PR #5824).
            raise ApiError(400, "INVALID_PARAMETER_VALUE",
                           f"Cannot add and remove privileges for the same principal in one request: {', '.join(both)}")
    for principal in set(adds) | set(removes):
        rem = removes.get(principal, set())
        cur = [p for p in grants.get(principal, []) if p not in rem]
        for p in sorted(adds.get(principal, set())):
            if p not in cur:
                cur.append(p)
        if cur:
            grants[principal] = cur
        else:
            grants.pop(principal, None)
    return uc_view(grants)


UC_PARENT_TYPES = {"schema": ["catalog"], "table": ["schema", "catalog"], "function": ["schema", "catalog"],
                   "volume": ["schema", "catalog"], "model_service": ["schema", "catalog"],
                   "mcp_service": ["schema", "catalog"]}


def uc_effective(type_path: str, full_name: str, principal: str | None) -> dict:
    t, key, grants = uc_securable(type_path, full_name)
    chain = [(t, full_name)]
    parts = full_name.split(".")
    for i, pt in enumerate(UC_PARENT_TYPES.get(t, [])):
        chain.append((pt, ".".join(parts[: len(parts) - 1 - i])))
    out: dict[str, list] = {}
    for ct, cn in chain:
        for p, privs in STATE.uc.get(uc_key(ct, cn), {}).items():
            for priv in privs:
                item = {"privilege": priv}
                if ct != t:
                    item.update({"inherited_from_type": ct.upper(), "inherited_from_name": cn})
                out.setdefault(p, []).append(item)
    pa = [{"principal": p, "privileges": v} for p, v in sorted(out.items()) if principal in (None, p)]
    return {"privilege_assignments": pa}


def secret_scope(name: str) -> dict:
    if name not in STATE.secret_acls:
        raise ApiError(404, "RESOURCE_DOES_NOT_EXIST", f"Scope {name} does not exist!")
    return STATE.secret_acls[name]


def app_resource_kind(r: dict) -> tuple[str, dict]:
    kinds = [k for k in APP_RESOURCE_PERMISSIONS if r.get(k)]
    if len(kinds) != 1:
        raise ApiError(400, "INVALID_PARAMETER_VALUE",
                       f"App resource '{r.get('name')}' must set exactly one of {', '.join(APP_RESOURCE_PERMISSIONS)}")
    return kinds[0], r[kinds[0]]


def check_app_resource(r: dict) -> None:
    if not r.get("name"):
        raise ApiError(400, "INVALID_PARAMETER_VALUE", "App resource name is required")
    kind, spec = app_resource_kind(r)
    if spec.get("permission") not in APP_RESOURCE_PERMISSIONS[kind]:
        raise ApiError(400, "INVALID_PARAMETER_VALUE",
                       f"Invalid permission {spec.get('permission')} for {kind} resource '{r['name']}'; allowed: "
                       f"{', '.join(sorted(APP_RESOURCE_PERMISSIONS[kind]))}")
    if kind == "uc_securable" and str(spec.get("securable_type", "")).upper() != "VOLUME":
        raise ApiError(400, "INVALID_PARAMETER_VALUE", f"uc_securable type {spec.get('securable_type')} is not supported")


def app_get(name: str) -> dict:
    app = STATE.objects["apps"].get(name)
    if app is None:
        raise ApiError(404, "RESOURCE_DOES_NOT_EXIST", f"App with name {name} does not exist or is deleted.")
    return app


def apps_route(method: str, seg: list[str], q: dict, body: dict) -> tuple[int, Any]:
    if len(seg) == 3:
        if method == "POST":
            name = body.get("name") or ""
            if name in STATE.objects["apps"]:
                raise ApiError(409, "RESOURCE_ALREADY_EXISTS",
                               f"An app with the same name already exists: {name}")
            app = STATE._new_app(body, creator=STATE.deployer_name(),
                                 no_compute=str(q.get("no_compute", "false")).lower() == "true")
            snapshot = copy.deepcopy((STATE.acls, STATE.secret_acls, STATE.uc))
            try:
                STATE.grant_app_resources(app)
            except ApiError:
                STATE.acls, STATE.secret_acls, STATE.uc = snapshot
                raise
            STATE.objects["apps"][app["name"]] = app
            STATE.principals.add(("service_principal_name", app["service_principal_client_id"]))
            # The creator gets CAN_MANAGE on the new app.
            STATE.acls[f"apps/{app['name']}"] = {
                "entries": {acl_principal({"user_name": STATE.deployer_name()}): "CAN_MANAGE"}}
            return 200, STATE.app_view(app)
        if method == "GET":
            return 200, {"apps": [STATE.app_view(a) for a in STATE.objects["apps"].values()]}
    if len(seg) == 4:
        name = urllib.parse.unquote(seg[3])
        app = app_get(name)
        if method == "GET":
            # The provider's waitForApp polls this until compute_status.state is ACTIVE or STOPPED.
            return 200, STATE.app_view(app, poll=True)
        if method == "PATCH":
            if body.get("name") not in (None, name):
                raise ApiError(400, "INVALID_PARAMETER_VALUE", "App name cannot be changed")
            before = copy.deepcopy(app)
            snapshot = copy.deepcopy((STATE.acls, STATE.secret_acls, STATE.uc))
            try:
                STATE._set_app_fields(app, body)
                STATE.grant_app_resources(app)
            except ApiError:
                app.clear()
                app.update(before)
                STATE.acls, STATE.secret_acls, STATE.uc = snapshot
                raise
            app["update_time"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            app["updater"] = STATE.deployer_name()
            return 200, STATE.app_view(app)
        if method == "DELETE":
            view = STATE.app_view(app)
            del STATE.objects["apps"][name]
            STATE.acls.pop(f"apps/{name}", None)
            # Its service principal goes with it; entries naming it stay (what the API does with a deleted
            # principal's grants is not modelled).
            STATE.principals.discard(("service_principal_name", app["service_principal_client_id"]))
            view["compute_status"] = {"state": "DELETING", "message": "App is being deleted."}
            return 200, view
    raise ApiError(501, "NOT_IMPLEMENTED_IN_DOUBLE", f"api_double: no handler for {method} /{'/'.join(seg)}")


def route(method: str, path: str, query: dict, body: dict) -> tuple[int, Any]:
    q = {k: v[0] for k, v in query.items()}
    seg = path.strip("/").split("/")
    # --- SCIM
    if path in ("/api/2.0/preview/scim/v2/Me", "/api/2.0/scim/v2/Me") and method == "GET":
        return 200, me()
    # --- serving endpoints
    if path == "/api/2.0/serving-endpoints":
        if method == "POST":
            if body.get("name") in STATE.endpoints:
                raise ApiError(409, "RESOURCE_ALREADY_EXISTS", f"Endpoint with name '{body.get('name')}' already exists.")
            ep = STATE._new_endpoint(body, creator=STATE.deployer_name())
            STATE.endpoints[ep["name"]] = ep
            # The creator gets CAN_MANAGE on the new endpoint.
            STATE.acls[f"serving-endpoints/{ep['id']}"] = {
                "entries": {acl_principal({"user_name": STATE.deployer_name()}): "CAN_MANAGE"}}
            return 200, STATE.endpoint_view(ep)
        if method == "GET":
            return 200, {"endpoints": [STATE.endpoint_view(e) for e in STATE.endpoints.values()]}
    if len(seg) >= 4 and seg[:3] == ["api", "2.0", "serving-endpoints"]:
        name = urllib.parse.unquote(seg[3])
        ep = STATE.endpoints.get(name)
        if ep is None:
            raise ApiError(404, "RESOURCE_DOES_NOT_EXIST", f"Endpoint with name '{name}' does not exist.")
        rest = seg[4:]
        if not rest and method == "GET":
            return 200, STATE.endpoint_view(ep)
        if not rest and method == "DELETE":
            del STATE.endpoints[name]
            STATE.acls.pop(f"serving-endpoints/{ep['id']}", None)
            return 200, {}
        if rest == ["config"] and method == "PUT":
            config = {k: copy.deepcopy(v) for k, v in body.items() if k != "name"}
            config["config_version"] = int(ep["config"].get("config_version", 1)) + 1
            STATE._fill_config(config)
            ep["config"] = config
            ep["last_updated_timestamp"] = int(time.time() * 1000)
            return 200, STATE.endpoint_view(ep)
        if rest == ["tags"] and method == "PATCH":
            tags = [t for t in ep["tags"] if t["key"] not in set(body.get("delete_tags") or [])]
            for t in body.get("add_tags") or []:
                tags = [x for x in tags if x["key"] != t["key"]] + [t]
            ep["tags"] = tags
            return 200, {"tags": tags}
        if rest == ["ai-gateway"] and method == "PUT":
            ep["ai_gateway"] = {k: v for k, v in body.items() if k != "name"}
            return 200, ep["ai_gateway"]
    # --- workspace object permissions
    if len(seg) >= 5 and seg[:3] == ["api", "2.0", "permissions"]:
        levels_call = seg[-1] == "permissionLevels"
        inner = seg[3:-1] if levels_call else seg[3:]
        type_path, obj_id = "/".join(inner[:-1]), urllib.parse.unquote(inner[-1])
        if levels_call and method == "GET":
            key, _ = acl_object(type_path, obj_id)
            t = key.split("/", 1)[0]
            return 200, {"permission_levels": [{"permission_level": lvl, "description": lvl.replace("_", " ").title()}
                                               for lvl in ACL_LEVELS.get(t, [])]}
        if method == "GET":
            key, obj = acl_object(type_path, obj_id)
            return 200, acl_view(key, obj)
        if method in ("PUT", "PATCH"):
            return 200, acl_write(method, type_path, obj_id, body)
    # --- Unity Catalog
    if len(seg) >= 6 and seg[:4] == ["api", "2.1", "unity-catalog", "permissions"]:
        type_path, full_name = seg[4], urllib.parse.unquote("/".join(seg[5:]))
        if method == "GET":
            _, _, grants = uc_securable(type_path, full_name)
            return 200, uc_view(grants, q.get("principal"))
        if method == "PATCH":
            return 200, uc_patch(type_path, full_name, body)
    if len(seg) >= 6 and seg[:4] == ["api", "2.1", "unity-catalog", "effective-permissions"] and method == "GET":
        return 200, uc_effective(seg[4], urllib.parse.unquote("/".join(seg[5:])), q.get("principal"))
    # --- secret ACLs
    if path == "/api/2.0/secrets/acls/put" and method == "POST":
        acl = secret_scope(body.get("scope", ""))
        perm = body.get("permission", "")
        if perm not in SECRET_LEVELS:
            raise ApiError(400, "INVALID_PARAMETER_VALUE", f"Invalid permission {perm}")
        acl[body.get("principal", "")] = perm  # creates or OVERWRITES, as the real API does
        return 200, {}
    if path == "/api/2.0/secrets/acls/delete" and method == "POST":
        acl = secret_scope(body.get("scope", ""))
        if body.get("principal") not in acl:
            raise ApiError(404, "RESOURCE_DOES_NOT_EXIST", f"Failed to get secret acl for principal {body.get('principal')}.")
        del acl[body["principal"]]
        return 200, {}
    if path == "/api/2.0/secrets/acls/get" and method == "GET":
        acl = secret_scope(q.get("scope", ""))
        if q.get("principal") not in acl:
            raise ApiError(404, "RESOURCE_DOES_NOT_EXIST", f"Failed to get secret acl for principal {q.get('principal')}.")
        return 200, {"principal": q["principal"], "permission": acl[q["principal"]]}
    if path == "/api/2.0/secrets/acls/list" and method == "GET":
        acl = secret_scope(q.get("scope", ""))
        return 200, {"items": [{"principal": p, "permission": v} for p, v in sorted(acl.items())]}
    if path == "/api/2.0/secrets/scopes/list" and method == "GET":
        return 200, {"scopes": [{"name": s, "backend_type": "DATABRICKS"} for s in sorted(STATE.secret_acls)]}
    # --- apps
    if seg[:3] == ["api", "2.0", "apps"]:
        return apps_route(method, seg, q, body)
    # --- object lookups
    lookups = {
        ("api", "2.0", "sql", "warehouses"): "warehouses",
        ("api", "2.0", "vector-search", "endpoints"): "vector_search_endpoints",
        ("api", "2.0", "database", "instances"): "database_instances",
        ("api", "2.0", "genie", "spaces"): "genie_spaces",
    }
    for prefix, kind in lookups.items():
        if tuple(seg[: len(prefix)]) == prefix and len(seg) == len(prefix) + 1 and method == "GET":
            obj = STATE.objects[kind].get(urllib.parse.unquote(seg[-1]))
            if obj is None:
                raise ApiError(404, "RESOURCE_DOES_NOT_EXIST", f"{kind} {seg[-1]} does not exist.")
            return 200, obj
    raise ApiError(501, "NOT_IMPLEMENTED_IN_DOUBLE", f"api_double: no handler for {method} {path}")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _send(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parsed = urllib.parse.urlsplit(self.path)
        path, query = parsed.path, urllib.parse.parse_qs(parsed.query)
        try:
            body = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError:
            self._send(400, {"error_code": "MALFORMED_REQUEST", "message": "body is not JSON"})
            return
        # Harness endpoints.
        if path.startswith("/__"):
            with STATE.lock:
                if path == "/__state":
                    self._send(200, STATE.dump())
                elif path == "/__journal":
                    self._send(200, {"journal": STATE.journal})
                elif path == "/__phase" and self.command == "POST":
                    STATE.phase = body.get("phase", "unnamed")
                    self._send(200, {"phase": STATE.phase})
                elif path == "/__shutdown" and self.command == "POST":
                    self._send(200, {})
                    threading.Thread(target=self.server.shutdown, daemon=True).start()
                else:
                    self._send(404, {"error_code": "NOT_FOUND", "message": path})
            return
        auth = self.headers.get("Authorization", "")
        with STATE.lock:
            if not auth.startswith("Bearer ") or auth == "Bearer ":
                record = {"method": self.command, "path": path, "status": 401}
                journal(record)
                self._send(401, {"error_code": "UNAUTHENTICATED", "message": "api_double: missing bearer token"})
                return
            before = STATE.entries() if self.command != "GET" else None
            try:
                status, payload = route(self.command, path, query, body)
            except ApiError as e:
                status, payload = e.status, {"error_code": e.code, "message": e.message}
            record: dict[str, Any] = {"method": self.command, "path": path,
                                      "query": parsed.query or None, "status": status,
                                      "agent": (self.headers.get("User-Agent") or "")[:120]}
            if self.command != "GET":
                record["body"] = body
                after = STATE.entries()
                record.update({k: v for k, v in diff_entries(before, after, level_order).items() if v})
            if status >= 400:
                record["error"] = payload.get("message")
            if status == 501:
                record["unknown"] = True
                print(f"api_double: UNKNOWN REQUEST {self.command} {self.path} (answered 501)", file=sys.stderr, flush=True)
            journal(record)
            self._send(status, payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def log_message(self, *args) -> None:
        pass


def main() -> None:
    global STATE, JOURNAL_PATH
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--journal")
    ap.add_argument("--state-out", help="write the final state here on shutdown")
    args = ap.parse_args()
    with open(args.seed, encoding="utf-8") as f:
        STATE = State(json.load(f))
    JOURNAL_PATH = args.journal
    if JOURNAL_PATH:
        open(JOURNAL_PATH, "w").close()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if args.state_out:
            with open(args.state_out, "w", encoding="utf-8") as f:
                json.dump(STATE.dump(), f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
