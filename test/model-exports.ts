export { Principal, SecretRef, classifyScope, closestScope } from "../lib";
export { parseUcName } from "../lib/model/uc-name";
export { compareVersions as compareVersionsForTest } from "../lib/model/versions";
export { escapeTemplateLiterals as escape } from "../lib/model/tokens";
