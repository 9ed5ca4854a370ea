import { App } from "cdktf";
import { HealthMonitorStack } from "./stack";

const app = new App();
new HealthMonitorStack(app);
app.synth();
