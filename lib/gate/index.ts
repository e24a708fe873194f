export type { GateDecision, GateFile, GateOptions } from './decide-gate.js';
export { checkGateSboms, decideGate, enforcementFrom } from './decide-gate.js';
export type { GateErrorCode } from './errors.js';
export { GateError } from './errors.js';
export { applySuppressions, dedupeFindings, matchesComponent } from './findings/dedupe.js';
export type { Component, Finding, FindingSeverity, FindingSource, Suppression } from './findings/finding.js';
export { normalizeSeverity, SEVERITIES, severityOfScore, severityRank } from './findings/finding.js';
export type { FindingsFormat, ParsedFindings } from './findings/parsers.js';
export {
  detectFormat,
  parseFindingsFile,
  parseGrype,
  parseNpmAudit,
  parseSarif,
  parseTrivy,
  parseVex,
} from './findings/parsers.js';
export * from './input/index.js';
export * from './policy/index.js';
export * from './report/index.js';
export * from './waivers/index.js';
