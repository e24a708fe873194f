import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A trust policy for rehearsing prod on a workstation: like the shipped one, but prod also accepts
 * the project's local key (the only signer a local run has).
 */
export function rehearsalTrustPolicy(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mc-trust-')), 'trust-policy.yaml');
  writeFileSync(
    file,
    `apiVersion: policy.maestro.dev/v1
kind: TrustPolicy
metadata: {name: rehearsal}
environments:
  prod: {signers: [key, kms, keyless], require: [signature, provenance]}
`,
  );
  return file;
}
