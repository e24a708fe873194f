export { UsageError } from './errors.js';
export { type CliIO, EXIT, processIO } from './io.js';
export { runCli } from './program.js';
