import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** An advisory as npm's bulk advisory endpoint returns it. */
export interface NpmAdvisory {
  readonly id: number;
  readonly ghsa: string;
  readonly title: string;
  readonly severity: 'low' | 'moderate' | 'high' | 'critical';
  readonly vulnerableVersions: string;
  readonly cvss: number;
}

/**
 * A stand-in for the npm registry's advisory service (`POST /-/npm/v1/security/advisories/bulk`),
 * so the real `npm audit` runs offline against known advisories. Other registry requests get 404,
 * as for unknown packages. Point npm at it with `npm_config_registry`.
 */
export async function startNpmAdvisories(
  advisories: Readonly<Record<string, readonly NpmAdvisory[]>>,
): Promise<{ registry: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      if (req.method !== 'POST' || !req.url?.endsWith('/-/npm/v1/security/advisories/bulk')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      const raw = Buffer.concat(chunks);
      const body = JSON.parse(
        (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'),
      ) as Record<string, string[]>;
      const found = Object.fromEntries(
        Object.keys(body)
          .filter((name) => advisories[name])
          .map((name) => [
            name,
            advisories[name].map((a) => ({
              id: a.id,
              url: `https://github.com/advisories/${a.ghsa}`,
              title: a.title,
              severity: a.severity,
              vulnerable_versions: a.vulnerableVersions,
              cwe: ['CWE-1321'],
              cvss: { score: a.cvss, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H' },
            })),
          ]),
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(found));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    registry: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
