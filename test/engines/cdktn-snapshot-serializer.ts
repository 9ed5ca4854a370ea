/**
 * Snapshot serializer of the cdktn Jest run (jest.cdktn.config.js) so that run checks the same
 * __snapshots__ as the cdktf run. Its only normalisation is printing the two version strings that
 * test/engines/engine-differences.ts lists, in cdk.tf.json snapshots, with the cdktf values:
 *
 * - `terraform.required_providers.databricks`: { source: "databricks/databricks", version: <cdktn provider> }
 *   prints its version as the cdktf provider's (1.132.0 -> 1.99.0);
 * - `"//".metadata` of a stack: { backend, stackName, version: <cdktn version> } prints its version as
 *   the cdktf engine's (0.24.0 -> 0.21.0).
 *
 * A value is rewritten only when it is exactly the cdktn one, at that place; anything else prints as
 * it is and must match. The cdktn run is --ci (ci: true), so it never writes a snapshot.
 */
import { ENGINE_VERSIONS, PROVIDER_VERSIONS } from "./engine-differences";

type Printer = (val: unknown, ...rest: unknown[]) => string;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A `required_providers` block whose databricks entry pins the cdktn bindings' provider. */
const isCdktnProviders = (v: Obj): boolean =>
  isObj(v.databricks) &&
  v.databricks.source === "databricks/databricks" &&
  v.databricks.version === PROVIDER_VERSIONS.cdktn;

/** The `"//"` block of a stack whose metadata names the cdktn engine version. */
const isCdktnStackComment = (v: Obj): boolean =>
  isObj(v.metadata) &&
  typeof v.metadata.stackName === "string" &&
  "backend" in v.metadata &&
  v.metadata.version === ENGINE_VERSIONS.cdktn;

export function test(val: unknown): boolean {
  return isObj(val) && (isCdktnProviders(val) || isCdktnStackComment(val));
}

export function serialize(
  val: Obj,
  config: unknown,
  indentation: string,
  depth: number,
  refs: unknown,
  printer: Printer,
): string {
  const out = isCdktnProviders(val)
    ? { ...val, databricks: { ...(val.databricks as Obj), version: PROVIDER_VERSIONS.cdktf } }
    : { ...val, metadata: { ...(val.metadata as Obj), version: ENGINE_VERSIONS.cdktf } };
  return printer(out, config, indentation, depth, refs);
}
