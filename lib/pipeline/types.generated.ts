/* Generated from schema/buildpipeline.v27.1.json by scripts/gen-types.mjs. Do not edit. */

/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Scalar".
 */
export type Scalar = (string | number | boolean)
/**
 * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
 * 
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Name".
 */
export type Name = string
/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Step".
 */
export type Step = {
name: Name
/**
 * What the step does. Default run (needs command).
 */
action?: ("run" | "checkout" | "setup-node" | "docker-build" | "docker-push" | "trivy-scan" | "grype-scan" | "scan" | "syft-sbom" | "sbom" | "gate" | "sign" | "attest" | "verify" | "cosign-sign" | "cosign-attest" | "promote")
/**
 * Shell command for run steps.
 */
command?: string
/**
 * Inputs of the action.
 */
with?: {
/**
 * a string, number, boolean or a list of them
 */
[k: string]: Scalar | Scalar[]
}
/**
 * A list (or an expression giving one, e.g. ${{ services }}); the step runs once per item, as item.
 */
for_each?: (string | [Scalar, ...(Scalar)[]])
/**
 * Files the step produces.
 */
artifacts?: string[]
/**
 * Services the step works on.
 */
services?: Name[]
}
/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "HealthGate".
 */
export type HealthGate = {
name: Name
type: ("coverage" | "security" | "k6")
/**
 * coverage: minimum percentage.
 */
threshold?: number
/**
 * security: findings at or above this fail.
 */
severity?: ("NONE" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL")
/**
 * k6: the load-test script.
 */
script?: string
/**
 * k6: metric thresholds, e.g. http_req_duration: ['p(95)<500'].
 */
thresholds?: {
/**
 * a string, number, boolean or a list of strings
 */
[k: string]: Scalar | string[]
}
}
/**
 * A duration such as 90s, 15m, 1h or 1h30m.
 * 
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Duration".
 */
export type Duration = string
/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Severity".
 */
export type Severity = ("NONE" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL")
/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Action".
 */
export type Action = ("run" | "checkout" | "setup-node" | "docker-build" | "docker-push" | "trivy-scan" | "grype-scan" | "scan" | "syft-sbom" | "sbom" | "gate" | "sign" | "attest" | "verify" | "cosign-sign" | "cosign-attest" | "promote")

/**
 * A Maestro Conductor build pipeline. Accepts metadata.version 27.0.x (migrated in memory) and 27.1.x (current).
 */
export interface BuildPipeline {
/**
 * Always orchestration.maestro.dev/v1.
 */
apiVersion: "orchestration.maestro.dev/v1"
/**
 * Always BuildPipeline.
 */
kind: "BuildPipeline"
metadata: Metadata
spec: Spec
}
/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Metadata".
 */
export interface Metadata {
/**
 * The pipeline's name; it names runs, evidence keys and state machines.
 */
name: string
/**
 * Format version: 27.0.x (accepted, migrated) or 27.1.x (current).
 */
version: string
description?: string
annotations?: StringMap
labels?: StringMap1
}
/**
 * Free-form annotations, e.g. mc.maestro.dev/waive-provenance.
 */
export interface StringMap {
[k: string]: string
}
/**
 * A map of user-chosen keys to strings.
 * 
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "StringMap".
 */
export interface StringMap1 {
[k: string]: string
}
/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Spec".
 */
export interface Spec {
/**
 * Whole-run timeout.
 */
timeout?: string
/**
 * Directory, relative to the file, that stage commands run in.
 */
workspace?: string
/**
 * Default image registry, available as ${{ registry }}.
 */
registry?: string
/**
 * Named lists; a step that references matrix.<name> runs once per value.
 */
matrix?: {
/**
 * @minItems 1
 */
[k: string]: [Scalar, ...(Scalar)[]]
}
/**
 * Named caches saved and restored by key.
 */
cache?: {
[k: string]: CacheEntry
}
env?: ScalarMap
/**
 * (27.1) Stop everything at the first failure. Default true.
 */
fail_fast?: boolean
profiles?: Profiles
services?: Service[]
/**
 * @minItems 1
 */
stages: [Stage, ...(Stage)[]]
health_gates?: HealthGate[]
rollback?: Rollback
}
/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "CacheEntry".
 */
export interface CacheEntry {
/**
 * Cache key; usually contains hashFiles(...).
 */
key: string
/**
 * @minItems 1
 */
paths: [string, ...(string)[]]
}
/**
 * (27.1) Environment variables for every step, available as env.<NAME>.
 */
export interface ScalarMap {
[k: string]: Scalar
}
/**
 * (27.1) Per-environment gate settings, chosen with --env.
 * 
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Profiles".
 */
export interface Profiles {
dev?: Profile
staging?: Profile
prod?: Profile
}
/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Profile".
 */
export interface Profile {
/**
 * Artifacts and images must be signed. Default: true in prod.
 */
require_signature?: boolean
/**
 * Artifacts and images need SLSA provenance. Default: true in prod.
 */
require_provenance?: boolean
/**
 * Each service needs an SBOM. Default: true in staging and prod.
 */
require_sbom?: boolean
/**
 * How the supply-chain gate acts. Default: advisory in dev, enforce elsewhere.
 */
sbom_policy?: ("enforce" | "advisory" | "off")
/**
 * Highest finding severity allowed without a waiver. Default MEDIUM.
 */
max_severity?: ("NONE" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL")
/**
 * Whether recorded waivers are honoured. Default true.
 */
allow_waivers?: boolean
env?: ScalarMap1
annotations?: StringMap1
}
/**
 * Environment variables added for this profile.
 */
export interface ScalarMap1 {
[k: string]: Scalar
}
/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Service".
 */
export interface Service {
name: Name
/**
 * Source directory, relative to the workspace.
 */
path?: string
dockerfile?: string
/**
 * Base image; pin it by digest (image@sha256:...).
 */
base_image?: string
build_args?: ScalarMap2
test_command?: string
lint_command?: string
}
/**
 * A map of user-chosen keys to strings, numbers or booleans.
 * 
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "ScalarMap".
 */
export interface ScalarMap2 {
[k: string]: Scalar
}
/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Stage".
 */
export interface Stage {
name: Name
depends_on?: Name[]
/**
 * Run the steps side by side instead of in order. Default false.
 */
parallel?: boolean
/**
 * CEL condition; the stage's steps are skipped when false.
 */
condition?: string
/**
 * (27.1) Retries per step after a failure, 0-2. Default 0.
 */
retries?: number
/**
 * (27.1) Timeout per step.
 */
timeout?: string
/**
 * (27.1) Where the stage's builds run on AWS: lambda (CodeBuild Lambda compute, arm64: no Docker, at most 15 minutes), ec2 (CodeBuild EC2 compute, privileged), fleet (the environment's reserved fleet). Default: ec2 for docker-build and docker-push steps and for stages whose timeout is over 15 minutes, lambda otherwise. Locally every build runs as a process.
 */
compute?: ("lambda" | "ec2" | "fleet")
/**
 * @minItems 1
 */
steps: [Step, ...(Step)[]]
}
/**
 * This interface was referenced by `BuildPipeline`'s JSON-Schema
 * via the `definition` "Rollback".
 */
export interface Rollback {
/**
 * e.g. automatic, manual, blue-green.
 */
strategy?: string
health_check_timeout?: Duration
rollback_timeout?: Duration
}
