// wsfuzz's programmatic API (README "Using wsfuzz from code"): the two test modes, taking the command
// line's options and resolving to results shaped like index.json.
export { fuzzingclient, type FuzzingClientApiOptions } from './api/fuzzingclient.js';
export { fuzzingserver, type FuzzingServerApiOptions, type FuzzingServerHandle } from './api/fuzzingserver.js';
export type { CasePatterns, CommonOptions, FuzzingClientOptions, FuzzingServerOptions } from './api/options.js';
export type { ServerSpec, ProgressEvent } from './modes/fuzzingclient.js';
export type { IndexEntry, IndexJson } from './report/index-json.js';
export type { AgentExclusions } from './cases/selection.js';
export { ConfigError } from './cli/spec.js';
export { SelectionError } from './cases/selection.js';
export { OptionsError } from './fuzz/options.js';
export { isFailure, type MainVerdict, type CloseVerdict } from './fuzz/verdicts.js';
export { VERSION } from './version.js';
