/**
 * The one module that imports the engine and the Databricks provider bindings. This source names
 * cdktf and @cdktf/provider-databricks; the cdktn flavour is built from it by renaming exactly those
 * module names (scripts/build.mjs), so every other file is the same in both flavours.
 */
// First: checks the installation before the engine is loaded (a missing or second copy fails loudly).
import "./guard";
export {
  Annotations,
  App,
  Aspects,
  DataResource,
  Fn,
  Lazy,
  LocalBackend,
  TerraformOutput,
  TerraformStack,
  Testing,
  Token,
} from "cdktf";
export type { IAspect, IResolvable, IStackSynthesizer, ISynthesisSession, TerraformResource } from "cdktf";
export { resolve } from "cdktf/lib/_tokens";
export { Grant as DatabricksGrant } from "@cdktf/provider-databricks/lib/grant";
export { Grants as DatabricksGrants } from "@cdktf/provider-databricks/lib/grants";
export { ModelServing } from "@cdktf/provider-databricks/lib/model-serving";
export type { ModelServingConfigServedEntities } from "@cdktf/provider-databricks/lib/model-serving";
export { Permissions as DatabricksPermissions } from "@cdktf/provider-databricks/lib/permissions";
export { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
export { App as DatabricksAppResource } from "@cdktf/provider-databricks/lib/app";
export type { AppResources as DatabricksAppResourceBlock } from "@cdktf/provider-databricks/lib/app";
