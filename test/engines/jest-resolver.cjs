"use strict";
/**
 * Jest resolver of the cdktn run (jest.cdktn.config.js): the default resolution, then
 * lib/engine/current.ts is replaced by test/engines/current.cdktn.ts (ENGINE_NAME "cdktn"), as
 * scripts/engine-alias.cjs does for Node. The engine module names themselves are renamed by the
 * config's moduleNameMapper before this runs. A file of cdktf or @cdktf/provider-databricks is refused:
 * the cdktn run never loads the cdktf engine.
 */
const map = require("./engine-map.cjs");

module.exports = (request, options) => {
  const resolved = map.substituteFile(options.defaultResolver(request, options));
  const pkg = map.cdktfPackageOf(resolved);
  if (pkg)
    throw new Error(
      `jest.cdktn.config.js: ${resolved} (${pkg}) would load the cdktf engine in the cdktn run ` +
        `(requested as "${request}" from ${options.basedir})`,
    );
  return resolved;
};
