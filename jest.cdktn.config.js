// The whole Jest suite (jest.config.js) run under cdktn instead of cdktf, without editing a source:
//   npx jest -c jest.cdktn.config.js --ci
// - moduleNameMapper renames "cdktf", "cdktf/<sub>" and "@cdktf/provider-databricks[/<sub>]" to the
//   cdktn packages, for tests, examples and lib/ alike (what scripts/build.mjs does for dist/cdktn);
// - the resolver swaps lib/engine/current.ts for test/engines/current.cdktn.ts (ENGINE_NAME "cdktn"),
//   so the load-time guard checks the installation as the cdktn flavour; it refuses any cdktf file;
// - the same __snapshots__ are checked; the serializer's only normalisation is printing the cdktn
//   provider version (1.132.0) and engine version (0.24.0) in cdk.tf.json as the cdktf ones
//   (test/engines/cdktn-snapshot-serializer.ts, test/engines/engine-differences.ts);
// - ci: snapshots are never written or updated by this run.
const base = require("./jest.config.js");
const { JEST_MODULE_NAME_MAPPER } = require("./test/engines/engine-map.cjs");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: "cdktn",
  moduleNameMapper: { ...(base.moduleNameMapper ?? {}), ...JEST_MODULE_NAME_MAPPER },
  resolver: "<rootDir>/test/engines/jest-resolver.cjs",
  snapshotSerializers: [
    ...(base.snapshotSerializers ?? []),
    "<rootDir>/test/engines/cdktn-snapshot-serializer.ts",
  ],
  ci: true,
};
