import * as fs from "fs";
import * as path from "path";
import { APP_SCOPES_BY_ACCESS_PATH, SCOPES_BY_ACCESS_PATH, type OboAccessPath } from "../lib";

const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

// The README's scope table row for each access path (its first cell).
const ROWS: Record<string, OboAccessPath> = {
  "a serving endpoint (LLM, embeddings, another agent)": "serving_endpoint",
  "Genie through the Conversation API": "genie_conversation",
  "Genie as a managed MCP server": "genie_mcp",
  "SQL on a warehouse (statement execution)": "sql_warehouse",
  "SQL through the MCP server": "mcp_sql",
  "vector search": "vector_search",
  "vector search through MCP": "mcp_vectorsearch",
  "a UC connection (external API)": "uc_connection",
  "an external MCP server": "mcp_external",
  "UC functions through MCP": "mcp_functions",
  "a Databricks App": "app",
};

const cells = (row: string): string[] =>
  row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
const scopesIn = (cell: string): string[] =>
  [...cell.split(/ \(|:/)[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).sort();

describe("the README's scope table for both targets", () => {
  const table = readme
    .split(
      "| the agent reaches, on behalf of the user | declared as | scopes (Model Serving) | scopes (Databricks Apps) |",
    )[1]!
    .split("\n\n")[0]!
    .split("\n")
    .slice(2)
    .map(cells);

  test.each(Object.entries(ROWS))("%s: both columns are the catalogs' scopes", (label, accessPath) => {
    const row = table.find((r) => r[0] === label)!;
    expect(row).toBeDefined();
    expect(scopesIn(row[2]!)).toEqual([...SCOPES_BY_ACCESS_PATH[accessPath]].sort());
    if (APP_SCOPES_BY_ACCESS_PATH[accessPath].length > 0)
      expect(scopesIn(row[3]!)).toEqual([...APP_SCOPES_BY_ACCESS_PATH[accessPath]].sort());
    else expect(row[3]).toMatch(/^not reachable/);
  });
});
