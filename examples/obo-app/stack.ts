/**
 * Seed 002: an agent application whose every Databricks call runs as the calling user, switched by
 * ONE app-wide setting (the seed's `app: on_behalf_of_user: true`). Here the switch is the stack prop
 * `onBehalfOfUser`: it moves *all* dependencies (a shared SQL warehouse, a vector search index with
 * managed embeddings, a Genie space and the LLM) between the two access modes at once.
 *
 * - `true` (default): MLflow `UserAuthPolicy.api_scopes` lists the minimal scopes the four need,
 *   nothing is declared for passthrough, the endpoint gets the application-level OBO flag, and the
 *   consumer group gets its own access to each dependency (that is what "uses Alice's permissions"
 *   in the seed costs: every user needs CAN_USE / SELECT / CAN_RUN / CAN_QUERY themselves).
 * - `false`: the service-principal column of the seed's comparison table. The four (with the Genie
 *   space's warehouse and tables, and the embedding endpoint) become MLflow system resources, the
 *   deployer needs access to them, and no scopes and no OBO flag are written.
 *
 * Flipping the switch keeps the endpoint's name and address, so it is an in-place update of its
 * `config`; the agent must still be re-logged with the new auth policy (see `mlflow/`).
 */
import type { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AgentAuthPolicy,
  AgentServingEndpoint,
  GenieResourceBundle,
  Principal,
  ServingEndpoint,
  SqlWarehouse,
  VectorSearchIndex,
  type IAgentDependency,
} from "../../lib";

/** The (fake) ids of the scenario, exported for the tests. */
export const OBO_APP = {
  warehouseId: "9e8d7c6b5a4f3e21",
  genieSpaceId: "01f0d4c3b2a1908f7e6d5c4b3a291807",
  vectorSearchEndpoint: "support-vs-endpoint",
  index: "main.support.kb_chunks_index",
  embeddingEndpoint: "databricks-gte-large-en",
  llm: "databricks-meta-llama-3-3-70b-instruct",
  deployer: "b5e1f0a2-7c3d-4e9f-8b6a-1d2c3e4f5a60",
  consumers: "support-agents",
} as const;

/** Props of {@link OboAppStack}. */
export interface OboAppStackProps {
  /**
   * The app-wide switch: every dependency is reached on behalf of the calling user (`true`) or with
   * automatic authentication passthrough as the endpoint's service principal (`false`).
   * @default true
   */
  readonly onBehalfOfUser?: boolean;
  /**
   * More dependencies that follow the switch (the tests use it to add one that cannot be reached on
   * behalf of the user).
   * @default []
   */
  readonly extraDependencies?: readonly IAgentDependency[];
}

/** Seed 002: everything on behalf of the user, or everything through passthrough, by one switch. */
export class OboAppStack extends TerraformStack {
  readonly policy: AgentAuthPolicy;
  readonly endpoint: AgentServingEndpoint;
  /** Every dependency the switch moves (not `dependencies`: TerraformStack uses that name for stack ordering). */
  readonly agentDependencies: readonly IAgentDependency[];

  constructor(scope: Construct, id = "obo-app", props: OboAppStackProps = {}) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new DatabricksProvider(this, "databricks", {});

    const onBehalfOfUser = props.onBehalfOfUser ?? true;

    const warehouse = SqlWarehouse.fromId(OBO_APP.warehouseId);
    const knowledgeBase = VectorSearchIndex.fromName(OBO_APP.index, {
      endpointName: OBO_APP.vectorSearchEndpoint,
      // Databricks-managed embeddings: the query is embedded by this endpoint, so OBO also needs
      // serving.serving-endpoints and each user CAN_QUERY on it.
      embeddingEndpoint: ServingEndpoint.fromName(OBO_APP.embeddingEndpoint),
    });
    const genie = new GenieResourceBundle(this, "SupportGenie", {
      domain: "support",
      spaceId: OBO_APP.genieSpaceId,
      warehouse,
      tables: ["main.support.tickets", "main.support.customers", "main.support.sla_breaches"],
      interface: "conversation",
    });
    const llm = ServingEndpoint.fromName(OBO_APP.llm);

    this.agentDependencies = [warehouse, knowledgeBase, genie, llm, ...(props.extraDependencies ?? [])];

    // The one switch. No hand-written scopes: they are derived from what moved to onBehalfOfUser, so
    // the scope list can never disagree with the switch (DBA-SCOPE-006 would catch scopes left over).
    this.policy = new AgentAuthPolicy(
      this,
      "Policy",
      onBehalfOfUser ? { onBehalfOfUser: this.agentDependencies } : { system: this.agentDependencies },
    );

    this.endpoint = new AgentServingEndpoint(this, "SupportAgent", {
      name: "support-obo-agent",
      model: { name: "main.agents.support_agent", version: "12" },
      workloadSize: "Small",
      scaleToZero: false,
      authPolicy: this.policy,
      environment: { ENABLE_MLFLOW_TRACING: "true", WAREHOUSE_ID: OBO_APP.warehouseId },
      tags: { agent: "support", seed: "002" },
      consumers: [Principal.group(OBO_APP.consumers)],
      deployer: Principal.servicePrincipal(OBO_APP.deployer),
    });
  }
}
