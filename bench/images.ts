import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyPush } from '../lib/admission/index.js';
import { pushEvent } from '../lib/images/index.js';
import { openLocalBackend, runImageMachine } from '../lib/local/index.js';
import { compileVerifyImage } from '../statemachines/index.js';
import { signAndAttest, testAdmission, testPromotionMap, trustedKey } from '../test/support/admission.js';
import { pushTestImage, startRegistry } from '../test/support/registry.js';
import { table } from './support.js';

const RUNS = 30;

/**
 * Event to decision for an image with a signature, SLSA provenance, an SBOM and a scan report
 * attached (fallback tag: Debian's docker-registry has no referrers API), against a real registry
 * on loopback and the embedded DynamoDB and S3: the verify step alone, and the whole
 * verify-image machine in the local interpreter up to its last state (decision announced,
 * promotion not configured). Also the registry requests one verification makes.
 */
export async function benchImages(): Promise<string> {
  const registry = await startRegistry();
  const home = mkdtempSync(join(tmpdir(), 'mc-bench-images-'));
  const backend = await openLocalBackend(home);
  try {
    const key = trustedKey();
    const client = registry.client();
    const image = await pushTestImage(client, 'prod/api', 'v1', 'bench image');
    await signAndAttest(client, `${registry.host}/prod/api@${image.digest}`, key.privateKey);
    const admission = testAdmission(backend, {
      trustPolicy: key.trustPolicy,
      map: testPromotionMap(registry.host),
      registryHost: registry.host,
    });
    const event = () =>
      pushEvent({
        eventId: randomUUID(),
        account: '111111111111',
        region: 'eu-west-1',
        repository: 'prod/api',
        digest: image.digest,
        tag: 'v1',
      });
    const step = await timed(async () => {
      const outcome = await verifyPush(admission.deps, { event: event(), execution: 'bench' });
      if (outcome.outcome !== 'verified') throw new Error(`the bench image was ${outcome.outcome}`);
    });
    const requests = admission.clients.at(-1)?.requests ?? [];
    const definition = compileVerifyImage();
    const machine = await timed(async () => {
      const run = await runImageMachine({
        definition,
        event: event() as never,
        deps: admission.deps,
        events: async () => {},
      });
      if (run.states.at(-1) !== 'Verified')
        throw new Error(`the bench machine ended in ${run.states.at(-1)}`);
    });
    const kinds = new Map<string, number>();
    for (const r of requests) {
      const kind = r.replace(/ \/v2\/.*\/(manifests|blobs|referrers)\/.*/, ' $1');
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    return [
      `image verification (${RUNS} runs, signature + SLSA provenance + SBOM + scan attached, docker-registry on loopback)`,
      table([
        { path: 'verify step (event → decision recorded)', ...step },
        { path: 'verify-image machine, local interpreter', ...machine },
      ]),
      `registry requests per verification: ${requests.length} (${[...kinds].map(([k, n]) => `${n} ${k.trim()}`).join(', ')}); each manifest and blob fetched once`,
    ].join('\n');
  } finally {
    await backend.close();
    await registry.close();
    rmSync(home, { recursive: true, force: true });
  }
}

async function timed(fn: () => Promise<void>): Promise<Record<string, string>> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    `${times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1)} ms`;
  return { median: at(0.5), p95: at(0.95), max: at(1) };
}
