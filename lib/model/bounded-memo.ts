/**
 * `compute` with its results kept per key, for pure functions a stack calls with few distinct keys many
 * times (a version, a table name). Bounded: at `limit` keys the cache starts again, so a long-lived
 * process that sees many keys holds at most `limit` results.
 */
export function boundedMemo<K, V>(limit: number, compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    if (known.has(key)) return known.get(key) as V;
    const value = compute(key);
    if (known.size >= limit) known.clear();
    known.set(key, value);
    return value;
  };
}
