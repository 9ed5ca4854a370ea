import { sortedMap, sortedRecord } from "../lib/constructs/target-props";

describe("sortedMap", () => {
  test("iterates its keys in code-point order, the order sortedRecord gives a record", () => {
    const entries: [string, string][] = [
      ["b", "1"],
      ["B", "2"],
      ["a_1", "3"],
      ["A", "4"],
    ];
    const m = sortedMap(new Map(entries));
    expect([...m.keys()]).toEqual(["A", "B", "a_1", "b"]);
    expect([...m.keys()]).toEqual(Object.keys(sortedRecord(Object.fromEntries(entries))));
    expect(m.get("B")).toBe("2");
  });
});
