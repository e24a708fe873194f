export { gateMarkdown } from './markdown.js';
export type { GateMode, GateReport } from './report.js';
export { gateReport } from './report.js';
