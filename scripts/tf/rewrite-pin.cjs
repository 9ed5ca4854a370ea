"use strict";
/**
 * Used by scripts/ci-terraform-newer.sh. Usage: node rewrite-pin.cjs SRC DST BOUND TARGET
 * SRC holds cdktf outputs (SRC/<example>/stacks/<stack>/cdk.tf.json). Each stack is copied to DST/<stack>
 * with required_providers.databricks.version changed from BOUND (which it must be) to TARGET. Fails unless
 * the stacks together contain every shape newer than provider 1.99 that the check is for.
 */
const fs = require("fs"),
  path = require("path");
const [src, dst, bound, target] = process.argv.slice(2);
const need = {
  "databricks_grant model_service": 0,
  "databricks_grant mcp_service": 0,
  "databricks_permissions database_project_name": 0,
  "databricks_permissions knowledge_assistant_id": 0,
  "databricks_permissions supervisor_agent_id": 0,
  "databricks_app postgres": 0,
  "databricks_app uc_securable TABLE": 0,
};
for (const ex of fs.readdirSync(src)) {
  const stacks = path.join(src, ex, "stacks");
  for (const st of fs.readdirSync(stacks)) {
    const file = path.join(stacks, st, "cdk.tf.json");
    const tf = JSON.parse(fs.readFileSync(file, "utf8"));
    const pin = tf.terraform.required_providers.databricks;
    if (pin.version !== bound)
      throw new Error(`${st}: databricks pinned to ${pin.version}, expected ${bound}`);
    pin.version = target;
    const r = tf.resource || {};
    for (const g of Object.values(r.databricks_grant || {}))
      for (const k of ["model_service", "mcp_service"])
        if (g[k] !== undefined) need[`databricks_grant ${k}`]++;
    for (const p of Object.values(r.databricks_permissions || {}))
      for (const k of ["database_project_name", "knowledge_assistant_id", "supervisor_agent_id"])
        if (p[k] !== undefined) need[`databricks_permissions ${k}`]++;
    for (const a of Object.values(r.databricks_app || {}))
      for (const res of a.resources || []) {
        if (res.postgres) need["databricks_app postgres"]++;
        if (res.uc_securable && res.uc_securable.securable_type === "TABLE")
          need["databricks_app uc_securable TABLE"]++;
      }
    fs.cpSync(path.join(stacks, st), path.join(dst, st), { recursive: true });
    fs.writeFileSync(path.join(dst, st, "cdk.tf.json"), JSON.stringify(tf, null, 2));
  }
}
const missing = Object.entries(need)
  .filter(([, n]) => n === 0)
  .map(([k]) => k);
console.log(
  "newer shapes: " +
    Object.entries(need)
      .map(([k, n]) => `${k} ${n}`)
      .join(", "),
);
if (missing.length) {
  console.error("ci-terraform-newer: missing from the synthesized Terraform: " + missing.join(", "));
  process.exit(1);
}
