import { App } from "cdktf";
import { UnityGatewayStack } from "./stack";

const app = new App();
new UnityGatewayStack(app, "unity-gateway");
app.synth();
