import { App } from "cdktf";
import { ManualAuthStack } from "./stack";

const app = new App();
new ManualAuthStack(app);
app.synth();
