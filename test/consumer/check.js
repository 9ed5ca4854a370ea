#!/usr/bin/env node
// Checks scripts/consumer-test.sh runs on the packed tarball and the two scratch platform repos.
// Plain Node.js (no dependencies), so it runs before anything is installed.
//   node check.js tarball <unpacked package dir>
//   node check.js deps <repo> <engine> <other engine>
//   node check.js compare <cdktf repo> <cdktn repo>
//   node check.js jest <jest --json output> <test file>
//   node check.js snapshots <cdktf repo> <cdktn repo> <forbidden text>...
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const { execFileSync } = require("child_process");

const fail = (msg) => {
  console.error(`FAIL: ${msg}`);
  process.exitCode = 1;
};
const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"));

/** Every file under `dir`, relative, sorted. */
function walk(dir, rel = "") {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, r));
    else out.push(r);
  }
  return out.sort();
}

/** Every file a package.json points at: main, types, bin, exports and typesVersions targets. */
function packageTargets(pkg) {
  const targets = [];
  const add = (v) => {
    if (typeof v === "string") targets.push(v);
    else if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === "object") Object.values(v).forEach(add);
  };
  add(pkg.main);
  add(pkg.types);
  add(pkg.typings);
  add(pkg.bin);
  add(pkg.exports);
  add(pkg.typesVersions);
  return [...new Set(targets)];
}

function checkTarball(dir) {
  const pkg = readJson(path.join(dir, "package.json"));
  const files = walk(dir);
  const top = {};
  for (const f of files) {
    const k = f.includes("/") ? `${f.split("/")[0]}/` : f;
    top[k] = (top[k] || 0) + 1;
  }
  console.log(`${pkg.name}@${pkg.version}: ${files.length} files`);
  for (const [k, n] of Object.entries(top)) console.log(`  ${k.padEnd(24)} ${n}`);
  console.log(`  exports: ${JSON.stringify(pkg.exports)}`);
  if (pkg.typesVersions) console.log(`  typesVersions: ${JSON.stringify(pkg.typesVersions)}`);
  for (const t of packageTargets(pkg)) {
    if (t.includes("*")) {
      const re = new RegExp(
        `^${t
          .replace(/^\.\//, "")
          .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")}$`,
      );
      if (!files.some((f) => re.test(f))) fail(`package.json points at ${t}: no file in the tarball matches`);
    } else if (!fs.existsSync(path.join(dir, t))) {
      fail(`package.json points at ${t}: not in the tarball`);
    }
  }
  const entry = pkg.exports && typeof pkg.exports === "object" ? pkg.exports["./cdktn"] : undefined;
  if (!entry)
    fail(`package.json has no "./cdktn" export: "cdktf-databricks-agents/cdktn" cannot be imported`);
}

/** Packages whose name the copies found under node_modules have, by path. */
function findPackages(repo, name) {
  const found = [];
  const visit = (nm) => {
    if (!fs.existsSync(nm)) return;
    for (const e of fs.readdirSync(nm, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name.startsWith(".")) continue;
      const dirs = e.name.startsWith("@")
        ? fs.readdirSync(path.join(nm, e.name)).map((s) => path.join(nm, e.name, s))
        : [path.join(nm, e.name)];
      for (const d of dirs) {
        const pj = path.join(d, "package.json");
        if (fs.existsSync(pj) && readJson(pj).name === name) found.push(path.relative(repo, d));
        visit(path.join(d, "node_modules"));
      }
    }
  };
  visit(path.join(repo, "node_modules"));
  return found;
}

const npmLs = (repo, args) => {
  try {
    return execFileSync("npm", ["ls", ...args], {
      cwd: repo,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    return e.stdout || ""; // npm ls exits 1 when nothing matches
  }
};

const ENGINES = {
  cdktf: { engine: "cdktf", bindings: "@cdktf/provider-databricks", cli: "cdktf-cli" },
  cdktn: { engine: "cdktn", bindings: "@cdktn/provider-databricks", cli: "cdktn-cli" },
};

function checkDeps(repo, engineName, otherName) {
  const e = ENGINES[engineName];
  const other = ENGINES[otherName];
  const lines = (s) => [...new Set(s.split("\n").filter(Boolean))];

  const all = lines(npmLs(repo, ["constructs", "--all", "--parseable", "--long"]));
  const prod = lines(npmLs(repo, ["constructs", "--all", "--parseable", "--omit=dev"]));
  console.log(`constructs copies on disk (npm ls constructs --all):`);
  for (const l of all) {
    const [p, id] = l.split(":");
    console.log(
      `  ${id.padEnd(22)} ${path.relative(repo, p)}${prod.includes(p) ? "" : "   (dev only: the CLI's own)"}`,
    );
  }
  if (prod.length !== 1)
    fail(`the app's dependencies have ${prod.length} copies of constructs: ${prod.join(", ")}`);

  // The copy each package of the app loads, as Node resolves it.
  const resolveFrom = (from) =>
    fs.realpathSync(require.resolve("constructs/package.json", { paths: [from] }));
  const pkgDir = (name) => fs.realpathSync(path.join(repo, "node_modules", name));
  const loaders = { app: repo, [e.engine]: pkgDir(e.engine), [e.bindings]: pkgDir(e.bindings) };
  loaders["cdktf-databricks-agents"] = pkgDir("cdktf-databricks-agents");
  const seen = new Set();
  for (const [who, from] of Object.entries(loaders)) {
    const p = resolveFrom(from);
    seen.add(p);
    console.log(`  ${who} loads ${path.relative(repo, path.dirname(p))}`);
  }
  if (seen.size !== 1) fail(`the app's packages load ${seen.size} different copies of constructs`);

  for (const name of [other.engine, other.bindings, other.cli]) {
    const ls = lines(npmLs(repo, [name, "--all", "--parseable"]));
    const onDisk = findPackages(repo, name);
    if (ls.length || onDisk.length)
      fail(`${name} is installed in the ${engineName} repo: ${[...ls, ...onDisk].join(", ")}`);
    else console.log(`  ${name}: not installed (npm ls ${name} is empty)`);
  }
  for (const name of [e.engine, e.bindings]) {
    const copies = findPackages(repo, name);
    if (copies.length !== 1) fail(`${copies.length} copies of ${name}: ${copies.join(", ")}`);
  }
  try {
    execFileSync("npm", ["ls", "--all"], {
      cwd: repo,
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    console.log("  npm ls --all: no missing, invalid or extraneous package");
  } catch (err) {
    fail(`npm ls --all reports problems:\n${err.stderr}`);
  }
}

/** Leaf differences between two JSON values: [path, a, b]. */
function diff(a, b, at = "", out = []) {
  const isObj = (v) => v !== null && typeof v === "object";
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      diff(a[k], b[k], at ? `${at}.${k}` : k, out);
    }
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push([at, a, b]);
  }
  return out;
}

/** The differences expected between the engines' output, by file (in a stack dir) and JSON path. */
const EXPECTED_DIFFS = {
  "cdk.tf.json": [
    // the Terraform provider version each bindings package pins: 1.99.0 vs 1.132.0
    "terraform.required_providers.databricks.version",
    // the engine's version in the metadata block: 0.21.0 vs 0.24.0
    "//.metadata.version",
  ],
};

const counts = (tf) => {
  const n = (blocks) => Object.values(blocks || {}).reduce((s, byName) => s + Object.keys(byName).length, 0);
  return { resources: n(tf.resource), data: n(tf.data), types: Object.keys(tf.resource || {}).sort() };
};

/** Compares the engines' cdktf.out: same stacks, files and content but for EXPECTED_DIFFS. */
function compare(repoF, repoN) {
  const out = (repo) => path.join(repo, "cdktf.out");
  const stacks = (repo) => Object.keys(readJson(path.join(out(repo), "manifest.json")).stacks).sort();
  const sf = stacks(repoF);
  const sn = stacks(repoN);
  if (JSON.stringify(sf) !== JSON.stringify(sn)) fail(`stacks differ: cdktf ${sf} vs cdktn ${sn}`);
  // manifest.json: the stacks, their paths and annotations; only the engine's version differs.
  const manifest = (repo) => readJson(path.join(out(repo), "manifest.json"));
  for (const [p, a, b] of diff(manifest(repoF), manifest(repoN))) {
    const ok = p === "version";
    console.log(
      `  ${ok ? "expected" : "UNEXPECTED"} manifest.json ${p}: cdktf ${JSON.stringify(a)} / cdktn ${JSON.stringify(b)}`,
    );
    if (!ok) fail(`manifest.json differs between the engines at ${p}`);
  }
  for (const stack of sf.filter((s) => sn.includes(s))) {
    const dirF = path.join(out(repoF), "stacks", stack);
    const dirN = path.join(out(repoN), "stacks", stack);
    const filesF = walk(dirF);
    const filesN = walk(dirN);
    const tfF = readJson(path.join(dirF, "cdk.tf.json"));
    const tfN = readJson(path.join(dirN, "cdk.tf.json"));
    const cF = counts(tfF);
    const cN = counts(tfN);
    console.log(`stack ${stack}: ${filesF.length} files`);
    console.log(`  cdktf: ${cF.resources} resources, ${cF.data} data sources: ${cF.types.join(", ")}`);
    console.log(`  cdktn: ${cN.resources} resources, ${cN.data} data sources: ${cN.types.join(", ")}`);
    for (const f of filesF.filter((x) => !filesN.includes(x)))
      fail(`${stack}/${f}: only the cdktf engine wrote it`);
    for (const f of filesN.filter((x) => !filesF.includes(x)))
      fail(`${stack}/${f}: only the cdktn engine wrote it`);
    for (const f of filesF.filter((x) => filesN.includes(x))) {
      const textF = fs.readFileSync(path.join(dirF, f), "utf8");
      const textN = fs.readFileSync(path.join(dirN, f), "utf8");
      if (!f.endsWith(".json")) {
        if (textF !== textN) fail(`${stack}/${f} differs between the engines`);
        continue;
      }
      const expected = EXPECTED_DIFFS[f] || [];
      for (const [p, a, b] of diff(JSON.parse(textF), JSON.parse(textN))) {
        const ok = expected.includes(p);
        console.log(
          `  ${ok ? "expected" : "UNEXPECTED"} ${f} ${p}: cdktf ${JSON.stringify(a)} / cdktn ${JSON.stringify(b)}`,
        );
        if (!ok) fail(`${stack}/${f} differs between the engines at ${p}`);
      }
    }
  }
}

/** The expected differences of cdk.tf.json as cdktn value -> cdktf value, from the first stack. */
function versionPairs(repoF, repoN) {
  const tf = (repo) => {
    const dir = path.join(repo, "cdktf.out", "stacks");
    return readJson(path.join(dir, fs.readdirSync(dir).sort()[0], "cdk.tf.json"));
  };
  const get = (obj, p) => p.split(".").reduce((o, k) => (o === undefined ? o : o[k]), obj);
  const [tfF, tfN] = [tf(repoF), tf(repoN)];
  const pairs = {};
  for (const p of EXPECTED_DIFFS["cdk.tf.json"]) {
    if (get(tfN, p) !== undefined && get(tfF, p) !== undefined)
      pairs[String(get(tfN, p))] = String(get(tfF, p));
  }
  return pairs;
}

/** A jest .snap file: snapshot name -> serialized text. */
function loadSnapshots(file) {
  const exports = {};
  vm.runInNewContext(fs.readFileSync(file, "utf8"), { exports });
  return exports;
}

/** A string snapshot holding JSON (what Testing.synth returns), parsed; undefined for other snapshots. */
function snapshotJson(text) {
  const t = text.trim();
  if (!t.startsWith('"{') || !t.endsWith('}"')) return undefined;
  try {
    return JSON.parse(t.slice(1, -1));
  } catch {
    return undefined;
  }
}

/**
 * Snapshots: no absolute path or date, and the same for both engines but for the version strings.
 * Terraform snapshots are compared as JSON (the engines print an empty object differently: cdktf
 * `{\n}`, cdktn `{}`), the others as text with the cdktn version strings put back to cdktf's.
 */
function snapshots(repoF, repoN, forbidden) {
  const snapDir = (repo) => path.join(repo, "__tests__", "__snapshots__");
  const pairs = versionPairs(repoF, repoN);
  const files = walk(snapDir(repoF));
  if (!files.length) fail("the cdktf repo wrote no snapshot");
  for (const f of files) {
    if (!fs.existsSync(path.join(snapDir(repoN), f))) {
      fail(`snapshot ${f}: only the cdktf repo wrote it`);
      continue;
    }
    const texts = { cdktf: fs.readFileSync(path.join(snapDir(repoF), f), "utf8") };
    texts.cdktn = fs.readFileSync(path.join(snapDir(repoN), f), "utf8");
    for (const [engine, text] of Object.entries(texts)) {
      for (const bad of forbidden.filter((s) => text.includes(s)))
        fail(`${engine} snapshot ${f} contains ${bad}`);
      const date = /\b(19|20)\d\d-[01]\d-[0-3]\d([T ]\d\d:\d\d)?/.exec(text);
      if (date) fail(`${engine} snapshot ${f} contains a date: ${date[0]}`);
    }
    const snapF = loadSnapshots(path.join(snapDir(repoF), f));
    const snapN = loadSnapshots(path.join(snapDir(repoN), f));
    const names = [...new Set([...Object.keys(snapF), ...Object.keys(snapN)])].sort();
    let same = 0;
    for (const name of names) {
      if (!(name in snapF) || !(name in snapN)) {
        fail(`snapshot "${name}": only the ${name in snapF ? "cdktf" : "cdktn"} repo has it`);
        continue;
      }
      const jsonF = snapshotJson(snapF[name]);
      const jsonN = snapshotJson(snapN[name]);
      if (jsonF !== undefined && jsonN !== undefined) {
        const expected = EXPECTED_DIFFS["cdk.tf.json"];
        const unexpected = diff(jsonF, jsonN).filter(([p]) => !expected.includes(p));
        for (const [p, a, b] of unexpected) {
          fail(`snapshot "${name}" differs at ${p}: cdktf ${JSON.stringify(a)} / cdktn ${JSON.stringify(b)}`);
        }
        if (!unexpected.length) same++;
        continue;
      }
      let textN = snapN[name];
      for (const [n, fVersion] of Object.entries(pairs)) textN = textN.split(`"${n}"`).join(`"${fVersion}"`);
      if (snapF[name] === textN) {
        same++;
        continue;
      }
      const a = snapF[name].split("\n");
      const b = textN.split("\n");
      const lines = [];
      for (let i = 0; i < Math.max(a.length, b.length) && lines.length < 20; i++) {
        if (a[i] !== b[i])
          lines.push(`  line ${i + 1}: cdktf ${JSON.stringify(a[i])} / cdktn ${JSON.stringify(b[i])}`);
      }
      fail(`snapshot "${name}" differs between the engines beyond the version strings:\n${lines.join("\n")}`);
    }
    console.log(
      `${f}: ${same} of ${names.length} snapshots the same for both engines but for the version strings`,
    );
  }
}

/** jest --json output: the fixture's test file ran, every test in it passed, none skipped. */
function jestResults(file, testFile) {
  const r = readJson(file);
  const suite = r.testResults.find((t) => t.name.endsWith(testFile));
  if (!suite) return fail(`jest did not run ${testFile}`);
  const counts = {};
  for (const a of suite.assertionResults) counts[a.status] = (counts[a.status] || 0) + 1;
  console.log(
    `${testFile}: ${JSON.stringify(counts)}; snapshots ${JSON.stringify(r.snapshot.matched)} matched, ${r.snapshot.added} added, ${r.snapshot.unmatched} unmatched`,
  );
  if (!counts.passed || Object.keys(counts).some((k) => k !== "passed"))
    fail(`${testFile}: not every test passed`);
  if (!r.snapshot.matched || r.snapshot.added || r.snapshot.unmatched)
    fail(`${testFile}: the snapshots did not all match`);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "tarball") checkTarball(args[0]);
else if (cmd === "deps") checkDeps(args[0], args[1], args[2]);
else if (cmd === "compare") compare(args[0], args[1]);
else if (cmd === "jest") jestResults(args[0], args[1]);
else if (cmd === "snapshots") snapshots(args[0], args[1], args.slice(2));
else {
  console.error(`unknown command ${cmd}`);
  process.exitCode = 2;
}
