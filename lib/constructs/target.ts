import type { IConstruct } from "constructs";
import type { AuthPolicyDict } from "../model/mlflow-policy";
import type { Securable } from "../model/securable";
import type {
  AppModel,
  BundleModel,
  DeployedEndpoint,
  EndpointModel,
  PolicyModel,
} from "../rules/stack-model";

/** What an agent's `log_model` needs besides the policy (its `metadata` in `mlflow.json`). */
export interface MlflowMetadata {
  readonly endpoint_name: string;
  readonly min_mlflow_version: string;
  readonly pip_requirements: readonly string[];
  readonly environment_variables: readonly string[];
  readonly on_behalf_of_user: boolean;
}

/** The ACL of an object the stack creates: where its authoritative permissions resource lives. */
export interface OwnedAcl {
  /** The securable, as grant plans name it. */
  readonly securable: Securable;
  /** The construct the permissions resource is created under (its address depends on it). */
  readonly scope: IConstruct;
  /** The `databricks_permissions` binding attribute and its value, e.g. `servingEndpointId`. */
  readonly attribute: string;
  readonly id: string;
}

/** One `env` entry of an app's `app.yaml`: a literal value or the key of an app resource. */
export type AppYamlEnv =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly valueFrom: string };

/**
 * What an app's code deployment needs beside `cdk.tf.json` (its `handoff` in `apps.json`, and its `env` as
 * `app_yaml` there): `databricks_app` creates the app, its resources, scopes and ACL, not its code.
 */
export interface AppHandoff {
  readonly app_name: string;
  /** `app.yaml`'s `env`, sorted by name. */
  readonly env: readonly AppYamlEnv[];
  /** The scopes the code may use with the forwarded user token (set on the app, not in `app.yaml`). */
  readonly user_api_scopes: readonly string[];
  /** The app resources, by the key `valueFrom` names. */
  readonly resources: readonly { readonly name: string; readonly description: string }[];
  readonly on_behalf_of_user: boolean;
  /** Re-consent and restart notes, when they apply. */
  readonly notes: readonly string[];
}

/**
 * A deployment target as the stack context sees it: a serving endpoint or a Databricks App. The context
 * registers, validates, realises grants for and writes files about targets only through this interface.
 */
export interface IAgentTarget extends IConstruct {
  /** The deployed name (literal or a Terraform reference). */
  readonly targetName: string;
  /** The target as the rules see it. */
  toModel(): EndpointModel | AppModel;
  /**
   * The identity facts `endpoint-lock.json` keeps, a Terraform reference as its expression
   * (`AgentStackContext.of(this).expression(...)`), never as cdktf's token text, which is not stable.
   */
  lockEntry(): DeployedEndpoint;
  /** The MLflow files, when the target serves a model logged with an auth policy. */
  mlflowFiles(): { readonly policy: AuthPolicyDict; readonly metadata: MlflowMetadata } | undefined;
  /** The ACL the stack owns on the target. */
  ownedAcl(): OwnedAcl;
  /**
   * The code deployment's handoff, for a target whose code is deployed apart from Terraform (an app).
   * @default - none
   */
  appHandoff?(): AppHandoff;
}

/** A Genie bundle as the stack context sees it. */
export interface IRegisteredBundle extends IConstruct {
  toModel(): BundleModel;
}

/** An auth policy as the stack context sees it. */
export interface IRegisteredPolicy extends IConstruct {
  toModel(): PolicyModel;
}
