#!/usr/bin/env python3
"""Checks of the API double's semantics and of the CLI double's argv handling (stdlib unittest).

Run: python3 scripts/apply/test_double.py   (starts its own double on a loopback port)
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEPLOYER = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
SEED = {
    "deployer": {"user_name": DEPLOYER},
    "options": {"strict_principals": False},
    "uc_grants": [
        {"securable_type": "catalog", "full_name": "main", "principal": "sales-analysts",
         "privileges": ["USE_CATALOG", "SELECT", "BROWSE"]},
        {"securable_type": "catalog", "full_name": "main", "principal": "other-team", "privileges": ["USE_CATALOG"]},
        {"securable_type": "table", "full_name": "main.sales.orders", "principal": "sales-analysts",
         "privileges": ["SELECT"]},
    ],
    "uc_securables": [{"securable_type": "schema", "full_name": "main.sales"}],
    "acls": [
        {"object_type": "sql/warehouses", "object_id": "wh1", "access_control_list": [
            {"user_name": "owner@example.com", "permission_level": "IS_OWNER"},
            {"group_name": "other-team", "permission_level": "CAN_MANAGE"},
            {"group_name": "sales-analysts", "permission_level": "CAN_MONITOR"}]},
        {"object_type": "genie", "object_id": "g1", "access_control_list": [
            {"group_name": "other-team", "permission_level": "CAN_EDIT"}]},
    ],
    "warehouses": [{"id": "wh1", "creator_name": "owner@example.com"}],
    "genie_spaces": [{"id": "g1"}],
    "secret_scopes": [{"name": "s1", "acls": {DEPLOYER: "MANAGE"}}],
    "serving_endpoints": [{"name": "llm", "id": "0123456789abcdef0123456789abcdef"}],
    # A shared app the stack does not own, with its own ACL.
    "apps": [{"id": "shared-app", "name": "shared-app"}],
    # Agent Bricks (by id) and a Lakebase Autoscaling project (by name).
    "knowledge_assistants": [{"id": "ka1"}],
    "supervisor_agents": [{"id": "sa1"}],
    "database_projects": [{"id": "proj1", "name": "proj1"}],
}
SEED["acls"] += [
    {"object_type": "knowledge-assistants", "object_id": "ka1", "access_control_list": [
        {"group_name": "other-team", "permission_level": "CAN_MANAGE"}, {"group_name": "readers", "permission_level": "CAN_QUERY"}]},
    {"object_type": "supervisor-agents", "object_id": "sa1", "access_control_list": [
        {"group_name": "other-team", "permission_level": "CAN_QUERY"}]},
    {"object_type": "database-projects", "object_id": "proj1", "access_control_list": [
        {"group_name": "other-team", "permission_level": "CAN_USE"}]},
]
# Unity Gateway services: three-level names under a schema.
SEED["uc_securables"] += [{"securable_type": "catalog", "full_name": "gw"}, {"securable_type": "schema", "full_name": "gw.services"},
                          {"securable_type": "model_service", "full_name": "gw.services.chat"},
                          {"securable_type": "mcp_service", "full_name": "gw.services.jira"}]
SEED["uc_grants"] += [
    {"securable_type": "schema", "full_name": "gw.services", "principal": "other-team", "privileges": ["USE_SCHEMA"]},
    {"securable_type": "model_service", "full_name": "gw.services.chat", "principal": "other-team", "privileges": ["EXECUTE"]},
    {"securable_type": "mcp_service", "full_name": "gw.services.jira", "principal": "other-team",
     "privileges": ["EXECUTE", "APPLY_TAG"]},
]
SEED["acls"].append({"object_type": "apps", "object_id": "shared-app", "access_control_list": [
    {"group_name": "other-team", "permission_level": "CAN_MANAGE"}, {"user_name": "analyst@example.com", "permission_level": "CAN_USE"}]})
# Strict directory (as the harness seeds it): a principal must exist, an app's one once the app does.
STRICT_SEED = {
    "deployer": {"user_name": "deployer@example.com"},
    "options": {"strict_principals": True, "app_compute_error": ["broken-app"]},
    "principals": [{"kind": "group_name", "name": "sales-analysts"}],
    "uc_securables": [{"securable_type": "catalog", "full_name": "main"}],
    "uc_grants": [{"securable_type": "catalog", "full_name": "main", "principal": "sales-analysts",
                   "privileges": ["USE_CATALOG"]}],
}


class _Double(unittest.TestCase):
    SEED: dict = SEED

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = Path(cls.tmp.name)
        (d / "seed.json").write_text(json.dumps(cls.SEED))
        cls.proc = subprocess.Popen([sys.executable, str(HERE / "api_double.py"), "--seed", str(d / "seed.json"),
                                     "--port-file", str(d / "port"), "--journal", str(d / "journal.jsonl")],
                                    stderr=subprocess.DEVNULL)
        for _ in range(100):
            if (d / "port").exists():
                break
            time.sleep(0.05)
        cls.url = f"http://127.0.0.1:{(d / 'port').read_text()}"
        cls.env = {**os.environ, "DATABRICKS_HOST": cls.url, "DATABRICKS_TOKEN": "t",
                   "DATABRICKS_CLI_DOUBLE_LOG": str(d / "cli.jsonl")}

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=10)
        cls.tmp.cleanup()

    def api(self, method, path, body=None, token="t"):
        req = urllib.request.Request(self.url + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def cli(self, *argv):
        return subprocess.run([sys.executable, str(HERE / "databricks"), *argv], env=self.env, capture_output=True, text=True)

    def direct(self, status_body):
        _, body = status_body
        return {next(v for k, v in e.items() if k.endswith("_name") and k != "display_name"): p["permission_level"]
                for e in body["access_control_list"] for p in e["all_permissions"] if not p.get("inherited")}


class DoubleTest(_Double):
    # --- SCIM
    def test_me_is_the_deployer(self):
        self.assertEqual(self.api("GET", "/api/2.0/preview/scim/v2/Me")[1]["userName"], DEPLOYER)

    def test_requests_without_token_are_refused(self):
        self.assertEqual(self.api("GET", "/api/2.0/preview/scim/v2/Me", token="")[0], 401)

    # --- workspace ACLs
    def test_put_replaces_direct_entries_keeps_inherited_admins_and_owner(self):
        st, body = self.api("PUT", "/api/2.0/permissions/sql/warehouses/wh1",
                            {"access_control_list": [{"group_name": "new", "permission_level": "CAN_USE"}]})
        self.assertEqual(st, 200)
        self.assertEqual(body["object_type"], "warehouses")
        self.assertEqual(self.direct((st, body)), {"new": "CAN_USE", "owner@example.com": "IS_OWNER"})
        admins = [e for e in body["access_control_list"] if e.get("group_name") == "admins"]
        self.assertTrue(admins and admins[0]["all_permissions"][0]["inherited"])
        # the CLI type "warehouses" is the same object
        self.assertEqual(self.direct(self.api("GET", "/api/2.0/permissions/warehouses/wh1")), self.direct((st, body)))

    def test_patch_adds_and_replaces_the_named_principals_level(self):
        st, body = self.api("PATCH", "/api/2.0/permissions/genie/g1", {"access_control_list": [
            {"group_name": "sales", "permission_level": "CAN_RUN"}]})
        self.assertLessEqual({"other-team": "CAN_EDIT", "sales": "CAN_RUN"}.items(), self.direct((st, body)).items())
        st, body = self.api("PATCH", "/api/2.0/permissions/genie/g1", {"access_control_list": [
            {"group_name": "other-team", "permission_level": "CAN_RUN"}]})
        self.assertEqual(self.direct((st, body))["other-team"], "CAN_RUN")  # lowered: the hazard to avoid

    def test_bad_level_and_unknown_object(self):
        self.assertEqual(self.api("PATCH", "/api/2.0/permissions/genie/g1", {"access_control_list": [
            {"group_name": "x", "permission_level": "CAN_QUERY"}]})[0], 400)
        self.assertEqual(self.api("GET", "/api/2.0/permissions/genie/nope")[0], 404)

    def test_permission_levels(self):
        st, body = self.api("GET", "/api/2.0/permissions/serving-endpoints/0123456789abcdef0123456789abcdef/permissionLevels")
        self.assertEqual([x["permission_level"] for x in body["permission_levels"]], ["CAN_VIEW", "CAN_QUERY", "CAN_MANAGE"])

    def test_agent_bricks_and_lakebase_project_acls(self):
        # Object types and levels as permission_definitions.go (provider 1.128) has them; the additive step's CLI call.
        for t, oid, level, wrong, kept in [("knowledge-assistants", "ka1", "CAN_QUERY", "CAN_USE", {"readers": "CAN_QUERY"}),
                                           ("supervisor-agents", "sa1", "CAN_QUERY", "CAN_USE", {"other-team": "CAN_QUERY"}),
                                           ("database-projects", "proj1", "CAN_USE", "CAN_QUERY", {"other-team": "CAN_USE"})]:
            with self.subTest(t):
                st, body = self.api("GET", f"/api/2.0/permissions/{t}/{oid}")
                self.assertEqual((st, body["object_type"], body["object_id"]), (200, t, f"/{t}/{oid}"))
                levels = self.api("GET", f"/api/2.0/permissions/{t}/{oid}/permissionLevels")[1]["permission_levels"]
                self.assertEqual([x["permission_level"] for x in levels], [level, "CAN_MANAGE"])
                r = self.cli("permissions", "update", "--json", json.dumps({"access_control_list": [
                    {"group_name": "cli-group", "permission_level": level}]}), "--", t, oid)
                self.assertEqual(r.returncode, 0, r.stderr)
                direct = self.direct(self.api("GET", f"/api/2.0/permissions/{t}/{oid}"))
                self.assertLessEqual({**kept, "cli-group": level}.items(), direct.items())
                self.assertEqual(self.api("PATCH", f"/api/2.0/permissions/{t}/{oid}", {"access_control_list": [
                    {"group_name": "x", "permission_level": wrong}]})[0], 400)
                self.assertEqual(self.api("GET", f"/api/2.0/permissions/{t}/nope")[0], 404)

    # --- Unity Catalog
    def test_uc_gateway_services_take_execute_and_inherit_from_schema_and_catalog(self):
        for t, name in [("model_service", "gw.services.chat"), ("mcp_service", "gw.services.jira")]:
            with self.subTest(t):
                r = self.cli("grants", "update", "--json", '{"changes":[{"principal":"cli-group","add":["EXECUTE"]}]}', "--", t, name)
                self.assertEqual(r.returncode, 0, r.stderr)
                body = self.api("GET", f"/api/2.1/unity-catalog/permissions/{t}/{name}")[1]
                got = {a["principal"]: a["privileges"] for a in body["privilege_assignments"]}
                self.assertEqual(got["cli-group"], ["EXECUTE"])
                self.assertIn("EXECUTE", got["other-team"])  # an add-only PATCH keeps the others
                self.assertEqual(self.api("PATCH", f"/api/2.1/unity-catalog/permissions/{t}/{name}",
                                          {"changes": [{"principal": "x", "add": ["SELECT"]}]})[0], 400)
                eff = self.api("GET", f"/api/2.1/unity-catalog/effective-permissions/{t}/{name}?principal=other-team")[1]
                inherited = {p.get("inherited_from_type") for a in eff["privilege_assignments"] for p in a["privileges"]}
                self.assertEqual(inherited, {None, "SCHEMA"})
                self.assertEqual(self.api("GET", f"/api/2.1/unity-catalog/permissions/{t}/gw.services.nope")[0], 404)

    def test_uc_patch_add_only_keeps_others(self):
        st, body = self.api("PATCH", "/api/2.1/unity-catalog/permissions/table/main.sales.orders",
                            {"changes": [{"principal": "new-group", "add": ["SELECT"]}]})
        self.assertEqual(st, 200)
        self.assertEqual({p["principal"] for p in body["privilege_assignments"]}, {"sales-analysts", "new-group"})

    def test_uc_rejects_add_and_remove_for_one_principal(self):
        st, body = self.api("PATCH", "/api/2.1/unity-catalog/permissions/catalog/main",
                            {"changes": [{"principal": "sales-analysts", "add": ["USE_SCHEMA"], "remove": ["BROWSE"]}]})
        self.assertEqual((st, body["error_code"]), (400, "INVALID_PARAMETER_VALUE"))
        grants = self.api("GET", "/api/2.1/unity-catalog/permissions/catalog/main?principal=sales-analysts")[1]
        self.assertIn("BROWSE", grants["privilege_assignments"][0]["privileges"])

    def test_uc_rejects_unknown_privilege_and_securable(self):
        self.assertEqual(self.api("PATCH", "/api/2.1/unity-catalog/permissions/table/main.sales.orders",
                                  {"changes": [{"principal": "x", "add": ["SELEC"]}]})[0], 400)
        self.assertEqual(self.api("GET", "/api/2.1/unity-catalog/permissions/catalog/nope")[0], 404)

    def test_uc_effective_includes_parents(self):
        body = self.api("GET", "/api/2.1/unity-catalog/effective-permissions/table/main.sales.orders")[1]
        inherited = [p for a in body["privilege_assignments"] for p in a["privileges"] if p.get("inherited_from_type")]
        self.assertTrue(any(p["inherited_from_name"] == "main" for p in inherited))

    # --- secrets
    def test_secret_put_overwrites_and_delete_removes(self):
        self.api("POST", "/api/2.0/secrets/acls/put", {"scope": "s1", "principal": "p", "permission": "MANAGE"})
        self.api("POST", "/api/2.0/secrets/acls/put", {"scope": "s1", "principal": "p", "permission": "READ"})
        self.assertEqual(self.api("GET", "/api/2.0/secrets/acls/get?scope=s1&principal=p")[1]["permission"], "READ")
        self.api("POST", "/api/2.0/secrets/acls/delete", {"scope": "s1", "principal": "p"})
        self.assertEqual(self.api("GET", "/api/2.0/secrets/acls/get?scope=s1&principal=p")[0], 404)

    # --- serving endpoints
    def test_endpoint_lifecycle(self):
        st, ep = self.api("POST", "/api/2.0/serving-endpoints", {"name": "t-ep", "config": {"served_entities": [
            {"name": "current", "entity_name": "m.s.e", "entity_version": "1"}],
            "traffic_config": {"routes": [{"served_entity_name": "current", "traffic_percentage": 100}]}}})
        self.assertEqual((st, ep["state"]["config_update"]), (200, "NOT_UPDATING"))
        self.assertEqual(ep["config"]["traffic_config"]["routes"][0]["served_model_name"], "current")
        acl = self.direct(self.api("GET", f"/api/2.0/permissions/serving-endpoints/{ep['id']}"))
        self.assertEqual(acl, {DEPLOYER: "CAN_MANAGE"})
        self.assertEqual(self.api("PATCH", "/api/2.0/serving-endpoints/t-ep/tags", {"add_tags": [{"key": "a", "value": "b"}]})[0], 200)
        self.assertEqual(self.api("DELETE", "/api/2.0/serving-endpoints/t-ep")[0], 200)
        self.assertEqual(self.api("GET", "/api/2.0/serving-endpoints/t-ep")[0], 404)

    # --- apps (provider pluginfw/products/app/resource_app.go; databricks_permissions app_name)
    def app_create(self, body, query=""):
        return self.api("POST", "/api/2.0/apps" + query, body)

    def test_app_lifecycle_create_waits_for_compute_get_update_delete(self):
        body = {"name": "t-app", "description": "d", "user_api_scopes": ["genie"], "resources": [
            {"name": "llm", "serving_endpoint": {"name": "llm", "permission": "CAN_QUERY"}}]}
        st, app = self.app_create(body)
        self.assertEqual(st, 200)
        # What the provider's waitForApp polls: STARTING until options.app_start_polls GETs, then ACTIVE.
        self.assertEqual(app["compute_status"]["state"], "STARTING")
        self.assertEqual(self.api("GET", "/api/2.0/apps/t-app")[1]["compute_status"]["state"], "STARTING")
        st, got = self.api("GET", "/api/2.0/apps/t-app")
        self.assertEqual(got["compute_status"]["state"], "ACTIVE")
        self.assertEqual((got["resources"], got["user_api_scopes"], got["description"]),
                         (body["resources"], ["genie"], "d"))
        self.assertEqual(got["effective_user_api_scopes"], ["genie", "iam.access-control:read", "iam.current-user:read"])
        self.assertRegex(got["service_principal_client_id"], r"^[0-9a-f-]{36}$")
        self.assertIsInstance(got["service_principal_id"], int)
        self.assertTrue(got["service_principal_name"].endswith(" t-app"))
        self.assertEqual((got["creator"], got["compute_size"]), (DEPLOYER, "MEDIUM"))
        self.assertEqual(self.app_create(body)[0], 409)
        st, upd = self.api("PATCH", "/api/2.0/apps/t-app", {"name": "t-app", "description": "e", "resources": body["resources"]})
        self.assertEqual((st, upd["description"]), (200, "e"))
        self.assertNotIn("user_api_scopes", upd)  # an update sends the whole app: absent means none
        self.assertEqual(upd["service_principal_client_id"], got["service_principal_client_id"])
        self.assertEqual(self.api("PATCH", "/api/2.0/apps/t-app", {"name": "other"})[0], 400)
        self.assertEqual(self.direct(self.api("GET", "/api/2.0/permissions/apps/t-app")), {DEPLOYER: "CAN_MANAGE"})
        self.assertEqual(self.api("DELETE", "/api/2.0/apps/t-app")[0], 200)
        self.assertEqual(self.api("GET", "/api/2.0/apps/t-app")[0], 404)
        self.assertEqual(self.api("GET", "/api/2.0/permissions/apps/t-app")[0], 404)
        self.assertEqual(self.api("DELETE", "/api/2.0/apps/t-app")[0], 404)  # the provider treats it as gone

    def test_app_no_compute_is_stopped_at_once(self):
        st, app = self.app_create({"name": "t-nocompute"}, "?no_compute=true")
        self.assertEqual((st, app["compute_status"]["state"]), (200, "STOPPED"))
        self.assertEqual(self.api("GET", "/api/2.0/apps/t-nocompute")[1]["compute_status"]["state"], "STOPPED")
        self.assertNotIn("resources", app)
        self.api("DELETE", "/api/2.0/apps/t-nocompute")

    def test_app_resources_grant_its_service_principal_without_lowering(self):
        st, app = self.app_create({"name": "t-res", "resources": [
            {"name": "llm", "serving_endpoint": {"name": "llm", "permission": "CAN_QUERY"}},
            {"name": "space", "genie_space": {"name": "g1", "space_id": "g1", "permission": "CAN_RUN"}},
            {"name": "wh", "sql_warehouse": {"id": "wh1", "permission": "CAN_USE"}},
            {"name": "sec", "secret": {"scope": "s1", "key": "k", "permission": "READ"}}]})
        self.assertEqual(st, 200, app)
        sp = app["service_principal_client_id"]
        self.assertEqual(self.direct(self.api("GET", "/api/2.0/permissions/serving-endpoints/0123456789abcdef0123456789abcdef"))[sp], "CAN_QUERY")
        genie = self.direct(self.api("GET", "/api/2.0/permissions/genie/g1"))
        self.assertEqual((genie[sp], genie["other-team"]), ("CAN_RUN", "CAN_EDIT"))
        wh = self.direct(self.api("GET", "/api/2.0/permissions/sql/warehouses/wh1"))
        self.assertEqual((wh[sp], wh["owner@example.com"]), ("CAN_USE", "IS_OWNER"))
        self.assertEqual(self.api("GET", f"/api/2.0/secrets/acls/get?scope=s1&principal={sp}")[1]["permission"], "READ")
        # A lower permission in an update never lowers what the principal holds.
        self.api("PATCH", "/api/2.0/apps/t-res", {"name": "t-res", "resources": [
            {"name": "space", "genie_space": {"name": "g1", "space_id": "g1", "permission": "CAN_VIEW"}}]})
        self.assertEqual(self.direct(self.api("GET", "/api/2.0/permissions/genie/g1"))[sp], "CAN_RUN")
        self.api("DELETE", "/api/2.0/apps/t-res")

    def test_app_refuses_bad_name_permission_and_missing_object_without_a_trace(self):
        self.assertEqual(self.app_create({"name": "Bad_Name"})[0], 400)
        self.assertEqual(self.app_create({"name": "t-bad", "resources": [
            {"name": "llm", "serving_endpoint": {"name": "llm", "permission": "CAN_USE"}}]})[0], 400)
        before = self.api("GET", "/__state")[1]["entries"]
        st, body = self.app_create({"name": "t-bad", "resources": [
            {"name": "space", "genie_space": {"name": "g1", "space_id": "g1", "permission": "CAN_RUN"}},
            {"name": "nope", "serving_endpoint": {"name": "nope", "permission": "CAN_QUERY"}}]})
        self.assertEqual(st, 400, body)
        self.assertEqual(self.api("GET", "/api/2.0/apps/t-bad")[0], 404)
        self.assertEqual(self.api("GET", "/__state")[1]["entries"], before)  # the genie grant was rolled back

    def test_app_permissions_put_replaces_direct_entries_levels_and_shared_app(self):
        st, app = self.api("GET", "/api/2.0/apps/shared-app")
        self.assertEqual((st, app["compute_status"]["state"]), (200, "ACTIVE"))
        self.assertTrue(app["service_principal_client_id"])
        st, acl = self.api("GET", "/api/2.0/permissions/apps/shared-app")
        self.assertEqual((acl["object_type"], acl["object_id"]), ("apps", "/apps/shared-app"))
        self.assertEqual(self.direct((st, acl)), {"other-team": "CAN_MANAGE", "analyst@example.com": "CAN_USE"})
        levels = self.api("GET", "/api/2.0/permissions/apps/shared-app/permissionLevels")[1]
        self.assertEqual([x["permission_level"] for x in levels["permission_levels"]], ["CAN_USE", "CAN_MANAGE"])
        self.assertEqual(self.api("PUT", "/api/2.0/permissions/apps/shared-app", {"access_control_list": [
            {"group_name": "x", "permission_level": "CAN_QUERY"}]})[0], 400)
        st, acl = self.api("PATCH", "/api/2.0/permissions/apps/shared-app", {"access_control_list": [
            {"group_name": "sales", "permission_level": "CAN_USE"}]})
        self.assertEqual(self.direct((st, acl)), {"other-team": "CAN_MANAGE", "analyst@example.com": "CAN_USE", "sales": "CAN_USE"})
        # PUT (databricks_permissions) replaces every direct entry: what the harness flags on a shared app.
        st, acl = self.api("PUT", "/api/2.0/permissions/apps/shared-app", {"access_control_list": [
            {"group_name": "sales", "permission_level": "CAN_USE"}, {"user_name": DEPLOYER, "permission_level": "CAN_MANAGE"}]})
        self.assertEqual(self.direct((st, acl)), {"sales": "CAN_USE", DEPLOYER: "CAN_MANAGE"})
        journal = self.api("GET", "/__journal")[1]["journal"]
        self.assertIn("acl|apps/shared-app|group_name:other-team", journal[-1]["removed"])
        r = self.cli("apps", "get", "-o", "json", "--", "shared-app")
        self.assertEqual(json.loads(r.stdout)["name"], "shared-app", r.stderr)

    def test_unknown_request_is_501(self):
        self.assertEqual(self.api("GET", "/api/2.0/clusters/list")[0], 501)

    # --- CLI double
    def test_cli_version_and_me(self):
        self.assertIn("Databricks CLI v", self.cli("--version").stdout)
        self.assertEqual(json.loads(self.cli("current-user", "me", "-o", "json").stdout)["userName"], DEPLOYER)

    def test_cli_permissions_update_patches(self):
        r = self.cli("permissions", "update", "genie", "g1", "--json",
                     '{"access_control_list":[{"group_name":"cli-group","permission_level":"CAN_RUN"}]}')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.direct(self.api("GET", "/api/2.0/permissions/genie/g1"))["cli-group"], "CAN_RUN")

    def test_cli_grants_update_patches(self):
        r = self.cli("grants", "update", "schema", "main.sales", "--json",
                     '{"changes":[{"principal":"cli-group","add":["USE_SCHEMA"]}]}')
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_cli_dash_help_positional_is_read_as_help_and_succeeds_without_a_call(self):
        before = len(self.api("GET", "/__journal")[1]["journal"])
        r = self.cli("permissions", "update", "genie", "--help", "--json", '{"access_control_list":[]}')
        self.assertEqual(r.returncode, 0)
        self.assertIn("Usage:", r.stdout)
        self.assertEqual(len(self.api("GET", "/__journal")[1]["journal"]), before)

    def test_cli_dash_positional_is_an_unknown_flag(self):
        r = self.cli("permissions", "update", "genie", "-x1", "--json", "{}")
        self.assertEqual(r.returncode, 1)
        self.assertIn("unknown shorthand flag: 'x' in -x1", r.stderr)
        r = self.cli("permissions", "update", "genie", "--x1", "--json", "{}")
        self.assertIn("unknown flag: --x1", r.stderr)

    def test_cli_short_flag_swallows_next_argument(self):
        r = self.cli("permissions", "update", "genie", "-o", "--json", "{}")
        self.assertEqual(r.returncode, 1)
        self.assertIn('invalid argument "--json"', r.stderr)

    def test_cli_double_dash_ends_flags(self):
        r = self.cli("permissions", "get", "genie", "--", "-x1")
        self.assertEqual(r.returncode, 1)
        self.assertIn("does not exist", r.stderr)  # reached the API with id "-x1"

    def test_cli_options_before_double_dash_as_the_library_calls_it(self):
        # The additive step's argv: options first, then `--`, then ids that may start with "-".
        r = self.cli("permissions", "get", "-o", "json", "--", "genie", "--help")
        self.assertEqual(r.returncode, 1)
        self.assertIn("genie --help does not exist", r.stderr)  # the id reached the API
        r = self.cli("permissions", "update", "--json",
                     '{"access_control_list":[{"group_name":"dd-group","permission_level":"CAN_RUN"}]}', "--", "genie", "g1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.direct(self.api("GET", "/api/2.0/permissions/genie/g1"))["dd-group"], "CAN_RUN")
        r = self.cli("grants", "update", "--json", '{"changes":[{"principal":"dd-group","add":["USE_SCHEMA"]}]}',
                     "--", "schema", "main.sales")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.cli("serving-endpoints", "get", "-o", "json", "--", "llm")
        self.assertEqual(json.loads(r.stdout)["id"], "0123456789abcdef0123456789abcdef")
        r = self.cli("secrets", "put-acl", "--", "s1", "--help", "READ")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.cli("secrets", "get-acl", "-o", "json", "--", "s1", "--help")
        self.assertEqual(json.loads(r.stdout)["permission"], "READ")

    def test_cli_without_credentials(self):
        env = {k: v for k, v in self.env.items() if k != "DATABRICKS_TOKEN"}
        r = subprocess.run([sys.executable, str(HERE / "databricks"), "current-user", "me"], env=env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot configure default credentials", r.stderr)


class StrictAppsTest(_Double):
    """The harness's directory is strict: a UC grant to an app's service principal works once the app
    exists (the additive step's principal is the app's service_principal_client_id)."""
    SEED = STRICT_SEED

    def test_uc_grant_to_the_apps_service_principal_needs_the_app(self):
        unknown = "0b0c0d0e-1f20-4a3b-8c4d-5e6f70819203"
        st, body = self.api("PATCH", "/api/2.1/unity-catalog/permissions/catalog/main",
                            {"changes": [{"principal": unknown, "add": ["USE_CATALOG"]}]})
        self.assertEqual((st, body["error_code"]), (400, "PRINCIPAL_DOES_NOT_EXIST"))
        app = self.api("POST", "/api/2.0/apps", {"name": "sp-app"})[1]
        sp = app["service_principal_client_id"]
        r = self.cli("grants", "update", "--json", json.dumps({"changes": [{"principal": sp, "add": ["USE_CATALOG"]}]}),
                     "--", "catalog", "main")
        self.assertEqual(r.returncode, 0, r.stderr)
        grants = self.api("GET", f"/api/2.1/unity-catalog/permissions/catalog/main?principal={sp}")[1]
        self.assertEqual(grants["privilege_assignments"], [{"principal": sp, "privileges": ["USE_CATALOG"]}])
        # ACLs take it too (as service_principal_name, or as user_name as the provider sends a UUID).
        self.api("POST", "/api/2.0/apps", {"name": "other-app"})
        st, _ = self.api("PUT", "/api/2.0/permissions/apps/other-app", {"access_control_list": [
            {"service_principal_name": sp, "permission_level": "CAN_USE"}]})
        self.assertEqual(st, 200)
        self.assertEqual(self.api("PATCH", "/api/2.0/permissions/apps/other-app", {"access_control_list": [
            {"group_name": "nobody", "permission_level": "CAN_USE"}]})[0], 400)
        # Deleted with its app: the principal leaves the directory.
        self.api("DELETE", "/api/2.0/apps/sp-app")
        self.assertEqual(self.api("PATCH", "/api/2.1/unity-catalog/permissions/catalog/main",
                                  {"changes": [{"principal": sp, "add": ["BROWSE"]}]})[0], 400)

    def test_app_compute_error_is_reported_as_error(self):
        self.api("POST", "/api/2.0/apps", {"name": "broken-app"})
        states = [self.api("GET", "/api/2.0/apps/broken-app")[1]["compute_status"]["state"] for _ in range(3)]
        self.assertEqual(states[-1], "ERROR")



class SeedTest(unittest.TestCase):
    """harness.make_seed on the new kinds: additive payloads and report rows seed their objects and securables."""

    def test_report_format_2_reads_as_the_rows_of_format_1(self):
        sys.path.insert(0, str(HERE))
        import harness  # noqa: E402
        v1 = {"grants": [
            {"securable": "catalog c", "principal": "group:r", "privileges": ["USE_CATALOG"], "mechanism": "report",
             "reasons": ["parent of c.s.t"]},
            {"securable": "table c.s.t", "principal": "group:r", "privileges": ["SELECT"], "mechanism": "report",
             "reasons": ["consumer of a, on behalf of user: Genie space x"]},
            {"securable": "table c.s.t", "principal": "servicePrincipal:sp", "privileges": ["SELECT"],
             "mechanism": "report", "reasons": ["deployer of a, passthrough: Genie space x"]},
        ]}
        v2 = {"format": 2, "securables": ["catalog c", "table c.s.t"], "principals": ["group:r", "servicePrincipal:sp"],
              "requesters": ["consumer of a, on behalf of user", "deployer of a, passthrough", "parent of c.s.t"],
              "needs": ["Genie space x"], "reasons": [[0, 0], [1, 0], [2]],
              "grants": [[0, "report", ["USE_CATALOG"], [0, 2]], [1, "report", ["SELECT"], [0, 0], [1, 1]]]}
        self.assertEqual(harness.report_grant_rows(v2), v1["grants"])
        self.assertEqual(harness.report_grant_rows(v1), v1["grants"])
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "agent-report.json").write_text(json.dumps(v2))
            self.assertEqual(harness.deployer_from_report(Path(d)), "sp")
            self.assertEqual([u["name"] for u in harness.report_requests(Path(d))["uc"]], ["c", "c.s.t", "c.s.t"])

    def test_seed_covers_agent_bricks_lakebase_projects_and_gateway_services(self):
        sys.path.insert(0, str(HERE))
        import harness  # noqa: E402
        payloads = {
            "ka": {"kind": "permissions", "apiType": "knowledge-assistants", "id": "ka1", "lookup": [],
                   "entries": [{"group_name": "g", "permission_level": "CAN_QUERY"}]},
            "proj": {"kind": "permissions", "apiType": "database-projects", "id": "proj1", "lookup": [],
                     "entries": [{"group_name": "g", "permission_level": "CAN_USE"}]},
            "mcp": {"kind": "grants", "apiType": "mcp_service", "id": "c.s.jira", "changes": [{"principal": "g", "add": ["EXECUTE"]}]},
        }
        report = {"grants": [
            {"mechanism": "report", "securable": "supervisor agent sa1", "principal": "group:r", "privileges": ["CAN_QUERY"]},
            {"mechanism": "report", "securable": "model_service c.s.chat", "principal": "group:r", "privileges": ["EXECUTE"]},
        ]}
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "cdk.tf.json").write_text(json.dumps(
                {"resource": {"terraform_data": {k: {"input": v} for k, v in payloads.items()}}}))
            (Path(d) / "agent-report.json").write_text(json.dumps(report))
            seed = harness.make_seed(Path(d))
            fresh = harness.make_seed(Path(d), profile="fresh")
        acls = {(a["object_type"], a["object_id"]): {next(v for k, v in e.items() if k != "permission_level"): e["permission_level"]
                                                     for e in a["access_control_list"]} for a in seed["acls"]}
        self.assertEqual(acls[("knowledge-assistants", "ka1")]["g"], "CAN_MANAGE")  # full: one level higher
        self.assertEqual(acls[("database-projects", "proj1")]["g"], "CAN_MANAGE")
        self.assertEqual(acls[("supervisor-agents", "sa1")]["data-platform-team"], "CAN_QUERY")
        self.assertEqual([o["id"] for o in seed["knowledge_assistants"]], ["ka1"])
        self.assertEqual([o["id"] for o in seed["supervisor_agents"]], ["sa1"])
        self.assertEqual([o["id"] for o in seed["database_projects"]], ["proj1"])
        uc = {(g["securable_type"], g["full_name"], g["principal"]): g["privileges"] for g in seed["uc_grants"]}
        self.assertEqual(uc[("mcp_service", "c.s.jira", "g")], ["EXECUTE", "APPLY_TAG"])
        self.assertEqual(uc[("model_service", "c.s.chat", "r")], ["EXECUTE", "APPLY_TAG"])
        self.assertIn(("schema", "c.s", "data-platform-team"), uc)  # parents seeded
        self.assertIn(("catalog", "c", "data-platform-team"), uc)
        fresh_uc = {(g["securable_type"], g["full_name"], g["principal"]) for g in fresh["uc_grants"]}
        self.assertNotIn(("mcp_service", "c.s.jira", "g"), fresh_uc)
        self.assertNotIn("g", {next(v for k, v in e.items() if k != "permission_level")
                               for a in fresh["acls"] if a["object_id"] == "ka1" for e in a["access_control_list"]})


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"api-double: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
