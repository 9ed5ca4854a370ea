import { App } from "cdktf";
import { GenieMcpAppStack } from "./stack";

const app = new App();
new GenieMcpAppStack(app);
app.synth();
