import { App } from "cdktf";
import { HealthMonitorAppStack } from "./stack";

const app = new App();
new HealthMonitorAppStack(app);
app.synth();
