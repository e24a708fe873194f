export type { GateRequest } from './build-input.js';
export { buildGateInput } from './build-input.js';
export type { CheckResult, GateFinding, GateInput, GateSuppressed, GateWaiver } from './gate-input.js';
