/**
 * The one module that imports CDK for Terraform and the Databricks provider bindings. CDKTF was
 * archived in 2025-12; its community fork (cdktn) is a rename-level drop-in, so switching engines is
 * a change to this file only.
 */
export {
  Annotations,
  App,
  Aspects,
  DataResource,
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
export { SecretAcl as DatabricksSecretAcl } from "@cdktf/provider-databricks/lib/secret-acl";
