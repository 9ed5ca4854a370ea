import { App } from "cdktf";
import { AgentBricksStack } from "./stack";

const app = new App();
new AgentBricksStack(app, "agent-bricks");
app.synth();
