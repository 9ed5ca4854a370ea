import { z } from "zod";
import { parseProps } from "../lib/model/schemas";

// parseProps walks the props once for `__proto__` keys and credential-looking strings (lib/model/schemas.ts).
// A schema that accepts anything leaves only the walk's problems.
const anything = z.unknown();
const PATH = "Stack/Agent/Policy";
const PAT = `dapi${"a1".repeat(16)}`;
const KEY = `sk-${"Zq9".repeat(8)}`;

const problemsOf = (props: unknown) => {
  const parsed = parseProps(anything, props, PATH, {});
  return parsed.ok ? [] : parsed.problems.map((p) => ({ ruleId: p.ruleId, path: p.path, prop: p.prop }));
};

describe("parseProps' walk over the props", () => {
  test("finds __proto__ keys and credentials in nested arrays and objects, with their paths, credentials first", () => {
    // Own `__proto__` keys only come from JSON.parse (an object literal would set the prototype).
    const props: unknown = JSON.parse(
      JSON.stringify({
        name: "plain",
        list: [{ note: "ok" }, { deep: [["x", PAT]] }],
        nested: { a: { b: `password=Hunter2abc9` } },
        [KEY]: 1,
        environment: { SAFE: PAT },
        secrets: { TOKEN: PAT },
      }).replace('"nested":{', '"nested":{"__proto__":{"c":1},"arr":[{"__proto__":2}],'),
    );
    const shared = { token: PAT };
    Object.assign(props as object, { first: { environment: shared }, second: shared });
    expect(problemsOf(props)).toEqual([
      { ruleId: "DBA-SEC-001", path: PATH, prop: "list[1].deep[0][1]" },
      { ruleId: "DBA-SEC-001", path: PATH, prop: "nested.a.b" },
      { ruleId: "DBA-SEC-001", path: PATH, prop: `<redacted, ${KEY.length} characters>` },
      { ruleId: "DBA-SEC-001", path: PATH, prop: "second.token" },
      { ruleId: "DBA-CFG-001", path: PATH, prop: "nested.__proto__" },
      { ruleId: "DBA-CFG-001", path: PATH, prop: "nested.arr[0].__proto__" },
    ]);
  });

  test("a credential as the whole props and in an array at the top", () => {
    expect(problemsOf(PAT)).toEqual([{ ruleId: "DBA-SEC-001", path: PATH, prop: "(props)" }]);
    expect(problemsOf(["ok", PAT])).toEqual([{ ruleId: "DBA-SEC-001", path: PATH, prop: "[1]" }]);
  });

  test("a clean value has no problems, however nested, and parses to itself", () => {
    const props = { name: "plain", list: [{ note: "ok" }, [["x", "y"]]], nested: { a: { b: 1 } } };
    expect(problemsOf(props)).toEqual([]);
    expect(parseProps(anything, props, PATH, {})).toEqual({ ok: true, value: props });
  });
});
