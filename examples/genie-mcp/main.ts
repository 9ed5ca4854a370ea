import { App } from "cdktf";
import { GenieMcpStack } from "./stack";

const app = new App();
new GenieMcpStack(app);
app.synth();
