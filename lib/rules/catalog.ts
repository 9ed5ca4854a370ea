/** Severity of a rule: errors fail synth unless acknowledged; warnings are reported. */
export type Severity = "error" | "warning";

/** One rule of the catalog. Ids are stable: never renumber, only add. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  /** What the rule catches, in one line. */
  readonly title: string;
  /** May a finding be acknowledged with a reason? */
  readonly acknowledgeable: boolean;
  /** The general fix. Findings carry a specific one. */
  readonly fix: string;
}

const rule = (
  id: string,
  severity: Severity,
  acknowledgeable: boolean,
  title: string,
  fix: string,
): RuleInfo => ({
  id,
  severity,
  acknowledgeable,
  title,
  fix,
});

/** The rule catalog. */
export const RULES: Readonly<Record<string, RuleInfo>> = Object.fromEntries(
  [
    rule(
      "DBA-CFG-001",
      "error",
      false,
      "A prop is malformed (wrong type, format or unknown name).",
      "Correct the prop as the message says.",
    ),
    rule(
      "DBA-CFG-002",
      "error",
      false,
      "A dependency is declared with a malformed name or id.",
      "Correct the reference (full UC name, warehouse id, endpoint name).",
    ),
    rule(
      "DBA-GENIE-001",
      "error",
      false,
      "A Genie bundle has no SQL warehouse.",
      "Pass `warehouse: SqlWarehouse.fromId(...)`: Genie runs its SQL there.",
    ),
    rule(
      "DBA-GENIE-002",
      "error",
      false,
      "A Genie bundle has no tables.",
      "List every table the Genie space uses in `tables`.",
    ),
    rule(
      "DBA-GENIE-003",
      "error",
      false,
      "A Genie space is declared for passthrough without its warehouse, tables and functions.",
      "Declare the space as a GenieResourceBundle so its downstream resources are declared too.",
    ),
    rule(
      "DBA-GENIE-004",
      "error",
      false,
      "An environment variable names a Genie space that no bundle declares.",
      "Declare a GenieResourceBundle for the space and add it to the endpoint's policy; the variable is then set for you.",
    ),
    rule(
      "DBA-GENIE-005",
      "warning",
      true,
      "A Genie bundle is declared but no policy uses it.",
      "Add the bundle to an AgentAuthPolicy or remove it.",
    ),
    rule(
      "DBA-GENIE-006",
      "error",
      false,
      "Two Genie bundles in one policy share a domain (the same environment variable).",
      "Give each bundle its own domain.",
    ),
    rule(
      "DBA-SCOPE-001",
      "error",
      false,
      "An on-behalf-of-user dependency lacks a scope it needs.",
      "Add the missing scope to `apiScopes`, or omit `apiScopes` to have the minimal set derived.",
    ),
    rule(
      "DBA-SCOPE-002",
      "error",
      true,
      "A scope is given that no on-behalf-of-user dependency needs.",
      "Remove the scope (least privilege), or declare the dependency that needs it.",
    ),
    rule(
      "DBA-SCOPE-003",
      "error",
      false,
      "A scope is not known to Model Serving.",
      "Use the suggested scope, or list a genuinely new scope in `additionalServingScopes`.",
    ),
    rule(
      "DBA-SCOPE-004",
      "error",
      false,
      "A scope is accepted by Databricks Apps only; Model Serving rejects it.",
      "Remove the scope; use the Model Serving scope the message suggests.",
    ),
    rule(
      "DBA-SCOPE-005",
      "error",
      false,
      "A Genie space used through MCP has `dashboards.genie` instead of `mcp.genie`.",
      "Replace `dashboards.genie` with `mcp.genie`: the MCP server refuses the Conversation-API scope with 403.",
    ),
    rule(
      "DBA-SCOPE-006",
      "error",
      false,
      "On-behalf-of-user is declared with no scopes, or scopes are given with no on-behalf-of-user dependency.",
      "Declare the on-behalf-of-user dependencies, or drop `apiScopes`.",
    ),
    rule(
      "DBA-SCOPE-007",
      "error",
      false,
      "A dependency that cannot be reached on behalf of the user is declared so.",
      "Declare it for passthrough (`system`), or reach it through Genie, MCP or SQL as the message says.",
    ),
    rule(
      "DBA-AUTH-001",
      "warning",
      true,
      "A dependency is declared in both modes: outside Model Serving the agent silently falls back to the service principal's data access.",
      "Choose one mode, or acknowledge the fallback with the reason (e.g. evaluation runs as the service principal).",
    ),
    rule(
      "DBA-SEC-001",
      "error",
      false,
      "A secret-looking environment variable has a literal value (it lands in plan output and state).",
      "Move it to `secrets` as SecretRef.of(scope, key).",
    ),
    rule(
      "DBA-SEC-002",
      "error",
      true,
      "Manual-auth variables (DATABRICKS_TOKEN, DATABRICKS_CLIENT_SECRET, ...) disable automatic passthrough for every declared resource.",
      "Remove them, or acknowledge that the agent authenticates manually and grant that identity access yourself.",
    ),
    rule(
      "DBA-EP-001",
      "error",
      false,
      "Traffic routes do not sum to 100.",
      "Make the percentages sum to exactly 100.",
    ),
    rule(
      "DBA-EP-002",
      "error",
      false,
      "A traffic route names no served entity, or a served entity gets no route.",
      "Route only to declared served entities, and route to each of them.",
    ),
    rule(
      "DBA-EP-003",
      "error",
      false,
      "Duplicate served-entity names or endpoint names.",
      "Give every served entity and endpoint a unique name.",
    ),
    rule(
      "DBA-EP-004",
      "error",
      false,
      "The endpoint name is invalid.",
      "Use letters, digits, '-' and '_', at most 63 characters.",
    ),
    rule(
      "DBA-EP-005",
      "error",
      false,
      "A served model version is not pinned.",
      "Serve an explicit version number such as \"7\"; aliases and 'latest' drift.",
    ),
    rule(
      "DBA-EP-006",
      "error",
      false,
      "An environment variable is set twice (by you and by the library, or in both `environment` and `secrets`).",
      "Remove your copy: the library sets Genie space ids and the OBO flag from the policy.",
    ),
    rule(
      "DBA-EP-007",
      "error",
      false,
      "A served model is not a three-level UC model name.",
      "Serve a model registered in Unity Catalog: catalog.schema.model.",
    ),
    rule(
      "DBA-GRANT-001",
      "error",
      true,
      "An object the stack does not own gets an authoritative ACL (databricks_permissions replaces every entry; warehouses change owner).",
      "Use the report or additive mechanism, or acknowledge that the stack owns this ACL.",
    ),
    rule(
      "DBA-GRANT-002",
      "error",
      false,
      "A grant names the endpoint's hidden service principal.",
      "Declare the dependency for passthrough; Databricks grants the hidden principal itself.",
    ),
    rule(
      "DBA-GRANT-003",
      "warning",
      true,
      "A grant goes to a group holding every user (users, account users).",
      "Grant a narrower group, or acknowledge with the reason.",
    ),
    rule(
      "DBA-GRANT-004",
      "error",
      false,
      "An escape-hatch grant resource duplicates or overrides what the grant plan manages.",
      "Remove the resource and request the access through the constructs.",
    ),
    rule(
      "DBA-GRANT-005",
      "error",
      false,
      "The admins group is listed on a workspace ACL (the provider refuses it).",
      "Remove admins: they always hold CAN_MANAGE.",
    ),
    rule(
      "DBA-GRANT-006",
      "error",
      false,
      "A principal's name is malformed (control characters, template sequences, not an email / UUID).",
      "Correct the principal.",
    ),
    rule(
      "DBA-GRANT-007",
      "error",
      false,
      "An authoritative ACL is requested on an object the provider cannot manage that way (Genie, referenced endpoints).",
      "Use the additive or report mechanism.",
    ),
    rule(
      "DBA-GRANT-008",
      "error",
      false,
      "An authoritative warehouse ACL has no IS_OWNER entry (ownership would move to the applying identity).",
      "Give the warehouse's owner in configureGrants({ warehouseOwners }).",
    ),
    rule(
      "DBA-EP-008",
      "error",
      false,
      "A protected, deployed endpoint would be replaced (its name or routeOptimized changed).",
      "Revert the change, or set protect: false to accept the replacement.",
    ),
    rule(
      "DBA-EP-009",
      "error",
      true,
      "A deployed endpoint's construct is gone or was renamed: the next apply destroys it.",
      "Restore the construct id or move the state, then update the lock.",
    ),
    rule(
      "DBA-VER-001",
      "error",
      false,
      "The pinned MLflow version is below what the declared resources or OBO need.",
      "Log the agent with at least the MLflow version the message gives.",
    ),
    rule(
      "DBA-MLF-001",
      "warning",
      true,
      "The MLflow auth policy holds Terraform references (known only at apply time).",
      "Give literal ids, or resolve them before log_model and check the model.",
    ),
    rule(
      "DBA-ACK-001",
      "error",
      false,
      "An acknowledgement is invalid (unknown rule, rule not acknowledgeable, or reason under 10 characters).",
      "Acknowledge an acknowledgeable rule id with a reason of at least 10 characters.",
    ),
    rule(
      "DBA-ACK-002",
      "warning",
      false,
      "An acknowledgement matches no finding.",
      "Remove the stale acknowledgement.",
    ),
    rule(
      "DBA-PKG-001",
      "error",
      false,
      "The engine, its Databricks provider bindings or `constructs` is missing or of an unsupported version (checked when the library loads).",
      "Install the versions of the README's compatibility table for your engine, and import the matching flavour.",
    ),
    rule(
      "DBA-PKG-002",
      "error",
      false,
      "A second copy of the engine, `constructs`, the bindings or this library is loaded, or both flavours in one app (checked when the library loads).",
      "Install from the registry or a packed tarball, not a directory or `npm link`; `npm dedupe`; `overrides` for a pinned copy.",
    ),
    rule(
      "DBA-PKG-003",
      "error",
      false,
      "The Node.js running the app is older than the installed engine CLI needs (cdktn-cli needs >= 22.19.0).",
      "Run the app and the CLI with a Node.js the CLI supports.",
    ),
  ].map((r) => [r.id, r]),
);
