/**
 * The nine MLflow resource kinds (mlflow.models.resources) an agent can declare for automatic
 * authentication passthrough, with what the deployer needs on each and the MLflow version that
 * introduced the class. Source: REFERENCE.md "MLflow contract", corrected where the released wheels
 * disagree: DatabricksApp first ships in mlflow 3.1.0 (absent from 2.22.x and 3.0.x), not 2.22.1.
 */
export type ResourceKind =
  | "serving_endpoint"
  | "vector_search_index"
  | "sql_warehouse"
  | "function"
  | "genie_space"
  | "uc_connection"
  | "table"
  | "app"
  | "lakebase";

/** Facts about one MLflow resource kind. */
export interface ResourceKindInfo {
  /** The key in the serialised `databricks` map. */
  readonly key: ResourceKind;
  /** The MLflow class in `mlflow.models.resources`. */
  readonly mlflowClass: string;
  /** The class's constructor argument. */
  readonly constructorArg: string;
  /** The access the endpoint creator needs, in Databricks' words. */
  readonly deployerNeeds: string;
  /** Minimum MLflow version that knows the class. */
  readonly minMlflow: string;
}

/** The catalog, in serialisation order (alphabetical by key). */
export const RESOURCE_KINDS: Readonly<Record<ResourceKind, ResourceKindInfo>> = {
  app: {
    key: "app",
    mlflowClass: "DatabricksApp",
    constructorArg: "app_name",
    deployerNeeds: "CAN_USE",
    minMlflow: "3.1.0",
  },
  function: {
    key: "function",
    mlflowClass: "DatabricksFunction",
    constructorArg: "function_name",
    deployerNeeds: "EXECUTE",
    minMlflow: "2.16.1",
  },
  genie_space: {
    key: "genie_space",
    mlflowClass: "DatabricksGenieSpace",
    constructorArg: "genie_space_id",
    deployerNeeds: "CAN_RUN",
    minMlflow: "2.17.1",
  },
  lakebase: {
    key: "lakebase",
    mlflowClass: "DatabricksLakebase",
    constructorArg: "database_instance_name",
    deployerNeeds: "databricks_superuser",
    minMlflow: "3.3.2",
  },
  serving_endpoint: {
    key: "serving_endpoint",
    mlflowClass: "DatabricksServingEndpoint",
    constructorArg: "endpoint_name",
    deployerNeeds: "CAN_QUERY",
    minMlflow: "2.13.1",
  },
  sql_warehouse: {
    key: "sql_warehouse",
    mlflowClass: "DatabricksSQLWarehouse",
    constructorArg: "warehouse_id",
    deployerNeeds: "CAN_USE",
    minMlflow: "2.16.1",
  },
  table: {
    key: "table",
    mlflowClass: "DatabricksTable",
    constructorArg: "table_name",
    deployerNeeds: "SELECT",
    minMlflow: "2.18.0",
  },
  uc_connection: {
    key: "uc_connection",
    mlflowClass: "DatabricksUCConnection",
    constructorArg: "connection_name",
    deployerNeeds: "USE_CONNECTION",
    minMlflow: "2.17.1",
  },
  vector_search_index: {
    key: "vector_search_index",
    mlflowClass: "DatabricksVectorSearchIndex",
    constructorArg: "index_name",
    deployerNeeds: "CAN_USE / SELECT",
    minMlflow: "2.13.1",
  },
};

/** One MLflow resource: its kind and identifier (the `name` in the serialised form). */
export interface AgentResource {
  readonly kind: ResourceKind;
  readonly name: string;
}

/** A stable key for dedupe and sorting. */
export function resourceKey(r: AgentResource): string {
  return `${r.kind}:${r.name}`;
}
