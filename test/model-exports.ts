export { Principal, SecretRef } from "../lib";
export { classifyScope, closestScope } from "../lib/model/scopes";
export { parseUcName } from "../lib/model/uc-name";
export { compareVersions as compareVersionsForTest } from "../lib/model/versions";
export { escapeTemplateLiterals as escape } from "../lib/model/tokens";
