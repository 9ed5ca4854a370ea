/**
 * `Object.fromEntries(entries)`, built by assignment. Why: on V8 (Node 20), `Object.fromEntries` of about
 * 1,000 entries allocates about ten times the memory of the same object assigned key by key and takes
 * about four times as long (a synth of 1,000 endpoints built several such objects, 15 MB each). The
 * result is the same object: own enumerable properties in the entries' order, a later duplicate key
 * winning, `__proto__` an own property (as `Object.fromEntries` defines it) and never the prototype.
 */
export function recordOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of entries)
    if (k === "__proto__")
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  return out;
}

/** Append `value` to `key`'s list in `groups` (a list made on first use): grouping in insertion order. */
export function pushTo<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  const list = groups.get(key);
  if (list === undefined) groups.set(key, [value]);
  else list.push(value);
}
