import fc from "fast-check";
import { scenario } from "./arbitraries";
import { check, figures, summaryLine } from "./fuzz-kit";
import { runTesting } from "./stack-runner";

const started = Date.now();
afterAll(() => console.log(summaryLine(Date.now() - started)));

test("scenarios end in synth or library error", () => {
  check(
    "scenarios end in synth or library error",
    fc.property(scenario, (sc) => {
      runTesting(sc);
    }),
    300,
  );
  console.log(JSON.stringify({ ...figures, distinctHashes: 0 }));
}, 600_000);
