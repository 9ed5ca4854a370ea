import { App } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { CanaryStack, type EndpointLock } from "./stack";

// The lock written by the last successful deploy (copied from cdktf.out/stacks/canary/ and committed):
// synth refuses changes that would replace the live endpoint.
const lockFile = path.join(__dirname, "endpoint-lock.json");
const endpointLock = fs.existsSync(lockFile)
  ? (JSON.parse(fs.readFileSync(lockFile, "utf8")) as EndpointLock)
  : undefined;

const app = new App();
// Step 1: "canary" (90/10). Step 2, after the candidate proved itself: "promoted" (100 to v8).
new CanaryStack(app, "canary", { phase: "canary", endpointLock });
app.synth();
