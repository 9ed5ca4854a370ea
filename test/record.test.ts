// recordOf: Object.fromEntries by assignment.
import { pushTo, recordOf } from "../lib/model/record";

describe("recordOf", () => {
  const cases: [string, (readonly [string, number])[]][] = [
    ["none", []],
    [
      "in order, a later duplicate winning at the first one's place",
      [
        ["b", 1],
        ["a", 2],
        ["b", 3],
      ],
    ],
    [
      "integer-like keys first, as any object orders them",
      [
        ["x", 1],
        ["2", 2],
        ["1", 3],
      ],
    ],
    [
      "__proto__ as an own key, never the prototype",
      [
        ["__proto__", 1],
        ["k", 2],
      ],
    ],
    ["1,500 keys", Array.from({ length: 1500 }, (_, i) => [`agent-${i}`, i] as const)],
  ];
  test.each(cases)("is Object.fromEntries: %s", (_, entries) => {
    const r = recordOf(entries);
    const f = Object.fromEntries(entries) as Record<string, number>;
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(Object.entries(r)).toEqual(Object.entries(f));
    expect(JSON.stringify(r)).toBe(JSON.stringify(f));
  });

  test("takes any iterable of entries", () => {
    expect(recordOf(new Map([["a", 1]]))).toEqual({ a: 1 });
  });
});

describe("pushTo", () => {
  test("groups values by key in insertion order, a list made on first use", () => {
    const groups = new Map<string, number[]>();
    for (const [k, v] of [
      ["a", 1],
      ["b", 2],
      ["a", 3],
    ] as const)
      pushTo(groups, k, v);
    expect([...groups]).toEqual([
      ["a", [1, 3]],
      ["b", [2]],
    ]);
  });
});
