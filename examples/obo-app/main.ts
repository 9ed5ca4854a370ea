import { App } from "cdktf";
import { OboAppStack } from "./stack";

const app = new App();
// The app-wide switch of seed 002 (`app: on_behalf_of_user: true`).
new OboAppStack(app, "obo-app", { onBehalfOfUser: true });
app.synth();
