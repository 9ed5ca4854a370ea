import { Testing, type TerraformStack } from "../engine";
import { AgentStackContext } from "./agent-stack-context";
import type { AgentStackArtifacts } from "./artifact-writer";
import { AgentSynthError, problemsOf } from "./synth-gate";

/** What {@link AgentTesting.synth} returns: the stack's Terraform and every file synth writes beside it. */
export interface AgentStackSynthesis extends AgentStackArtifacts {
  /**
   * `cdk.tf.json` as the engine's `Testing.synth` returns it (keys sorted, no metadata block): use it
   * with `toMatchSnapshot()` and the engine's matchers (`toHaveResource`, `toHaveResourceWithProperties`).
   */
  readonly terraform: string;
}

/** Test helpers for platform repos. */
export class AgentTesting {
  /**
   * Synthesize `stack` with every validation on, as `cdktf synth` does (the engine's plain
   * `Testing.synth(stack)` and `Testing.synthScope` skip validations, so every rule would be off), and
   * return the Terraform JSON, the stack report, the endpoint lock and the MLflow files.
   * Throws {@link AgentSynthError} with every finding (rule id, construct path, received, allowed, fix)
   * when a rule fails, Terraform references shown as their expressions.
   */
  static synth(stack: TerraformStack): AgentStackSynthesis {
    const context = AgentStackContext.of(stack);
    const failures = problemsOf([stack], false);
    if (failures.length > 0) throw new AgentSynthError(failures);
    const terraform = Testing.synth(stack, true);
    return { terraform, ...context.artifacts() };
  }
}
