#!/usr/bin/env node
// Runs the compiled exporter when built (npm run build), the TypeScript source through tsx otherwise.
const path = require("path");
const fs = require("fs");
const compiled = path.join(__dirname, "..", "dist", "cdktf", "bin", "export.js");
if (!fs.existsSync(compiled)) require("tsx/cjs");
const { main } = require(fs.existsSync(compiled) ? compiled : "./export.ts");
process.exit(main(process.argv.slice(2)));
