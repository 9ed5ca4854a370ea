import type { StackRule } from "./rule";

/**
 * DBA-BRICKS-001: a dependency MLflow has no resource class for (a Knowledge Assistant, a Supervisor
 * Agent) declared for automatic passthrough on Model Serving: the auth policy cannot name it, so the
 * endpoint's identity would get no access and every call would fail. Reported once per policy and
 * dependency, for the policy's first Model Serving endpoint. On an AgentApp, `system` is the app's
 * service principal, which the grant plan grants: no finding.
 */
export const passthroughWithoutMlflowKind: StackRule = {
  id: "DBA-BRICKS-001",
  severity: "error",
  acknowledgeable: false,
  title:
    "A dependency MLflow cannot declare (Knowledge Assistant, Supervisor Agent) is declared for automatic passthrough on Model Serving.",
  fix: "Declare it in `onBehalfOfUser`, or deploy the agent as an AgentApp, whose service principal the grant plan grants.",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p) => {
      const endpoint = [...m.endpoints]
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
        .find((e) => e.policyPath === p.path);
      if (endpoint === undefined) return [];
      return p.dependencies
        .filter((d) => d.system && d.passthroughUnsupportedReason !== undefined)
        .map((d) => ({
          path: p.path,
          prop: "system",
          message: `${d.description} is declared for automatic passthrough, but Model Serving endpoint ${endpoint.name} (${endpoint.path}) cannot be given access to it: MLflow's auth policy has no resource kind for it`,
          received: d.description,
          allowed: "in `system` on Model Serving: the kinds MLflow declares (mlflow-kinds.json)",
          fix: d.passthroughUnsupportedReason!,
          appliesTo: [d.key],
        }));
    }),
};
