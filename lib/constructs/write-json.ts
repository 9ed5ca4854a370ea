import * as fs from "fs";

/**
 * Write `data` as `JSON.stringify(data, null, 2) + "\n"` (byte for byte) without building the whole text:
 * the top-level object is written key by key and its arrays 500 entries at a time, so a large report
 * never exists as one string.
 */
export function writeJsonStreamed(file: string, data: unknown): void {
  const fd = fs.openSync(file, "w");
  const reindent = (text: string, indent: string): string =>
    indent === "" ? text : text.replace(/\n/g, `\n${indent}`);
  const value = (v: unknown, indent: string): void => {
    if (!Array.isArray(v) || v.length <= 500) {
      fs.writeSync(fd, reindent(JSON.stringify(v, null, 2), indent));
      return;
    }
    fs.writeSync(fd, "[\n");
    for (let i = 0; i < v.length; i += 500) {
      const chunk = JSON.stringify(v.slice(i, i + 500), null, 2); // "[\n  a,\n  b\n]"
      fs.writeSync(fd, `${i === 0 ? "" : ",\n"}${indent}${reindent(chunk.slice(2, -2), indent)}`);
    }
    fs.writeSync(fd, `\n${indent}]`);
  };
  try {
    if (data === null || typeof data !== "object" || Array.isArray(data) || "toJSON" in data) value(data, "");
    else {
      const entries = Object.entries(data).filter(
        ([, v]) => v !== undefined && typeof v !== "function" && typeof v !== "symbol",
      );
      if (entries.length === 0) fs.writeSync(fd, "{}");
      else {
        entries.forEach(([k, v], i) => {
          fs.writeSync(fd, `${i === 0 ? "{" : ","}\n  ${JSON.stringify(k)}: `);
          value(v, "  ");
        });
        fs.writeSync(fd, "\n}");
      }
    }
    fs.writeSync(fd, "\n");
  } finally {
    fs.closeSync(fd);
  }
}
