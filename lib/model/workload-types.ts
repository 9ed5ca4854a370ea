import { compareVersions } from "./versions";

/**
 * The served-entity workload types (`workload_type`) Model Serving accepts, with the first Databricks
 * provider release whose SDK lists each. The provider passes the string through unchecked, so an unknown
 * type is accepted by `plan` and fails at apply; the props schema checks it against this table for the
 * provider the engine binds (a Terraform reference is checked at apply).
 *
 * Sources: databricks-sdk-go v0.93.0 (bound by provider 1.99.0), `ServingModelWorkloadType`: CPU, GPU_SMALL,
 * GPU_MEDIUM, GPU_LARGE, MULTIGPU_MEDIUM. The types added since (CPU_MEDIUM, CPU_LARGE, GPU_XLARGE,
 * GPU_XLARGE_8) are listed for the provider the cdktn bindings bind (1.132.0); their first release was not
 * confirmed offline, so they are not offered below it.
 */
export const WORKLOAD_TYPES: readonly { readonly type: string; readonly since: string }[] = [
  { type: "CPU", since: "1.99.0" },
  { type: "GPU_SMALL", since: "1.99.0" },
  { type: "GPU_MEDIUM", since: "1.99.0" },
  { type: "GPU_LARGE", since: "1.99.0" },
  { type: "MULTIGPU_MEDIUM", since: "1.99.0" },
  { type: "CPU_MEDIUM", since: "1.132.0" },
  { type: "CPU_LARGE", since: "1.132.0" },
  { type: "GPU_XLARGE", since: "1.132.0" },
  { type: "GPU_XLARGE_8", since: "1.132.0" },
];

/** The workload types a provider version accepts, in table order. */
export function workloadTypesFor(providerVersion: string): string[] {
  return WORKLOAD_TYPES.filter((w) => compareVersions(providerVersion, w.since) >= 0).map((w) => w.type);
}
