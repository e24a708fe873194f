export { UsageError } from './errors.js';
export type { CliIO } from './io.js';
export { EXIT, processIO } from './io.js';
export { runCli } from './program.js';
