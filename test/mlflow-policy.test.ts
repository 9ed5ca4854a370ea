// normaliseResources, with its fast path for input that is already sorted and distinct.
import { normaliseResources, serializeResources } from "../lib/model/mlflow-policy";
import type { AgentResource } from "../lib/model/resource-kinds";

describe("normaliseResources", () => {
  const r = (kind: AgentResource["kind"], name: string, branch?: string): AgentResource =>
    branch === undefined ? { kind, name } : { kind, name, branch };

  test("sorts by kind, then name, and keeps one resource per kind and name (the last given)", () => {
    const out = normaliseResources([
      r("table", "main.s.b"),
      r("genie_space", "01"),
      r("table", "main.s.a"),
      r("lakebase_project", "p", "one"),
      r("lakebase_project", "p", "two"),
    ]);
    expect(out).toEqual([
      r("genie_space", "01"),
      r("lakebase_project", "p", "two"),
      r("table", "main.s.a"),
      r("table", "main.s.b"),
    ]);
  });

  test("sorted distinct input comes back as a copy of the same resources", () => {
    const input = [r("genie_space", "01"), r("table", "main.s.a"), r("table", "main.s.b")];
    const out = normaliseResources(input);
    expect(out).not.toBe(input);
    expect(out).toEqual(input);
    out.forEach((x, i) => expect(x).toBe(input[i]));
  });

  test("sorted input with a duplicate is still de-duplicated", () => {
    expect(normaliseResources([r("table", "t"), r("table", "t")])).toEqual([r("table", "t")]);
  });

  test("serializes sorted and unsorted input alike", () => {
    const sorted = [r("genie_space", "01"), r("table", "a"), r("table", "b")];
    expect(serializeResources([...sorted].reverse())).toEqual(serializeResources(sorted));
  });
});
