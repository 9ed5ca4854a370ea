import type { EngineName } from "../../lib/engine/compat";

/**
 * The engine this build of the library is bound to. The cdktn build (scripts/build.mjs) replaces this
 * line and the module names in ./index.ts; nothing else differs between the two flavours.
 */
export const ENGINE_NAME: EngineName = "cdktn";
