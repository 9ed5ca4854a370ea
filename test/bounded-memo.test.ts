import { boundedMemo } from "../lib/model/bounded-memo";

describe("boundedMemo", () => {
  test("computes once per key, including a key whose result is undefined", () => {
    const calls: string[] = [];
    const f = boundedMemo(10, (k: string) => {
      calls.push(k);
      return k === "none" ? undefined : k.length;
    });
    expect([f("ab"), f("ab"), f("none"), f("none"), f("abc")]).toEqual([2, 2, undefined, undefined, 3]);
    expect(calls).toEqual(["ab", "none", "abc"]);
  });

  test("holds at most `limit` keys: past it the cache starts again", () => {
    const calls: number[] = [];
    const f = boundedMemo(2, (k: number) => {
      calls.push(k);
      return k * 2;
    });
    expect([f(1), f(2), f(1)]).toEqual([2, 4, 2]);
    expect(calls).toEqual([1, 2]);
    expect(f(3)).toBe(6); // the third key: the cache is cleared before it is kept
    expect(f(1)).toBe(2);
    expect(calls).toEqual([1, 2, 3, 1]);
  });
});
