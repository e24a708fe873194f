import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mc } from '../support/cli.js';
import { grypeJson, LOG4J } from '../support/scanner-outputs.js';

const log4j = LOG4J;

function workspace(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'mc-gate-'));
  writeFileSync(join(dir, 'grype.json'), grypeJson([log4j]));
  writeFileSync(join(dir, 'broken.json'), '{"matches": ');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo', version: '1.0.0' }));
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({
      name: 'demo',
      version: '1.0.0',
      lockfileVersion: 3,
      packages: { '': { name: 'demo', version: '1.0.0' } },
    }),
  );
  return { dir, env: { MC_HOME: join(dir, '.mc'), PATH: process.env.PATH ?? '' } };
}

describe('mc policy test', () => {
  it('runs the shipped tests, and fails with what differed', async () => {
    const { dir, env } = workspace();
    const ok = await mc(['policy', 'test', '--json'], { cwd: dir, env });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ policy: 'mc-default', passed: true });
    writeFileSync(
      join(dir, 'wrong.yaml'),
      'input: {findings: [{id: CVE-1, severity: CRITICAL, component: {name: log4j-core}}]}\nexpect: {allow: true}\n',
    );
    const failed = await mc(['policy', 'test', 'wrong.yaml'], { cwd: dir, env });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(
      'FAIL wrong.yaml: wrong.yaml\n     expected allow: true, got allow: false',
    );
    writeFileSync(join(dir, 'bad.yaml'), 'expect: {allow: true}\n');
    expect(await mc(['policy', 'test', 'bad.yaml'], { cwd: dir, env })).toMatchObject({
      code: 2,
      stderr: 'mc: bad.yaml: input: is required (a map)\n',
    });
  });
});

describe('mc gate', () => {
  it('blocks with exit 1, reports JSON and Markdown, and keeps the report as evidence', async () => {
    const { dir, env } = workspace();
    const text = await mc(['gate', '--findings', 'grype.json', '--env', 'staging'], { cwd: dir, env });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('BLOCKED: staging');
    expect(text.stdout).toContain('✗ MC-VULN-001 Blocked: log4j-core CRITICAL [CVE-2021-44228');
    expect(text.stdout).toContain('✗ MC-SBOM-001 Missing SBOM: the staging profile requires one');
    expect(text.stderr).toMatch(/report kept as evidence: gates\/.+\/report\.json/);
    const json = await mc(['gate', '--findings', 'grype.json', '--env', 'prod', '--json'], { cwd: dir, env });
    const report = JSON.parse(json.stdout);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['allow', 'mode', 'violations', 'waived', 'suppressed']),
    );
    expect(report).toMatchObject({ allow: false, mode: 'enforce' });
    const md = await mc(['gate', '--findings', 'grype.json', '--format', 'md', '--env', 'prod'], {
      cwd: dir,
      env,
    });
    expect(md.stdout).toMatch(/^# MC Gate Report\n\n❌ \*\*Blocked\*\*/);
  });

  it('is advisory in dev and with MC_ENFORCE=false: exit 0, saying so', async () => {
    const { dir, env } = workspace();
    const dev = await mc(['gate', '--findings', 'grype.json'], { cwd: dir, env });
    expect(dev.code).toBe(0);
    expect(dev.stdout).toContain('WOULD BLOCK (advisory)');
    const off = await mc(['gate', '--findings', 'grype.json', '--env', 'prod'], {
      cwd: dir,
      env: { ...env, MC_ENFORCE: 'false' },
    });
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('advisory because MC_ENFORCE=false');
  });

  it('uses the stored waivers, and a waivers file', async () => {
    const { dir, env } = workspace();
    const added = await mc(
      [
        'waiver',
        'add',
        '--vuln',
        'CVE-2021-44228',
        '--ttl',
        '7d',
        '--reason',
        'no JNDI',
        '--owner',
        'ana',
        '--json',
      ],
      { cwd: dir, env },
    );
    expect(added.code).toBe(0);
    const { id } = JSON.parse(added.stdout);
    expect(
      (
        await mc(['gate', '--findings', 'grype.json', '--env', 'staging', '--sbom', 'grype.json'], {
          cwd: dir,
          env,
        })
      ).code,
    ).toBe(2);
    const staging = await mc(['gate', '--findings', 'grype.json', '--env', 'staging', '--json'], {
      cwd: dir,
      env,
    });
    expect(JSON.parse(staging.stdout).waived).toEqual([
      expect.objectContaining({ waiver: id, owner: 'ana' }),
    ]);
    const list = await mc(['waiver', 'list', '--json'], { cwd: dir, env });
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id, state: 'awaiting approval' })]);
    expect(await mc(['waiver', 'approve', id, '--by', 'ana'], { cwd: dir, env })).toMatchObject({ code: 1 });
    expect(await mc(['waiver', 'revoke', id, '--by', 'ben'], { cwd: dir, env })).toMatchObject({ code: 0 });
    writeFileSync(
      join(dir, 'waivers.yaml'),
      `- {vulnerability: CVE-2021-44228, reason: base image, created: "${new Date().toISOString()}", ttl_ns: 86400000000000, owner: ops, approved_by: sec}\n`,
    );
    expect(
      (await mc(['sbom', '.', '-o', 'bom.json', '--generator', 'builtin'], { cwd: dir, env })).code,
    ).toBe(0);
    const prod = await mc(
      [
        'gate',
        '--findings',
        'grype.json',
        '--sbom',
        'bom.json',
        '--env',
        'prod',
        '--waivers',
        'waivers.yaml',
        '--json',
      ],
      { cwd: dir, env },
    );
    // The finding is waived (the file's approval counts in prod); on a workstation the gate
    // collects no signatures, so prod still blocks on those, and says so.
    expect(prod.code).toBe(1);
    const report = JSON.parse(prod.stdout);
    expect(report.waived).toEqual([expect.objectContaining({ waiver: 'file-1' })]);
    expect(report.violations.map((v: { rule: string }) => v.rule)).toEqual(['MC-SIG-001', 'MC-PROV-001']);
  });

  it('answers unreadable input and missing files with exit 2', async () => {
    const { dir, env } = workspace();
    writeFileSync(
      join(dir, 'bogus-bom.json'),
      '{"bomFormat":"CycloneDX","specVersion":"1.6","components":"not a list"}',
    );
    expect(
      await mc(['gate', '--sbom', 'bogus-bom.json', '--findings', 'grype.json'], { cwd: dir, env }),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('bogus-bom.json: not a valid SBOM'),
    });
    expect(await mc(['gate'], { cwd: dir, env })).toMatchObject({
      code: 2,
      stderr: 'mc: give at least one --sbom or --findings file\n',
    });
    const broken = await mc(['gate', '--findings', 'broken.json'], { cwd: dir, env });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^mc: broken\.json: not JSON .*expected grype, trivy/);
    const ttl = await mc(['waiver', 'add', '--vuln', 'X', '--ttl', '31d', '--reason', 'r', '--owner', 'o'], {
      cwd: dir,
      env,
    });
    expect(ttl).toMatchObject({ code: 2, stderr: expect.stringContaining('longer than the maximum of 30d') });
  });
});

describe('mc sbom and mc scan', () => {
  it('writes an SBOM that validates, and refuses what is not one', async () => {
    const { dir, env } = workspace();
    const written = await mc(['sbom', '.', '-o', 'bom.json', '--json', '--generator', 'builtin'], {
      cwd: dir,
      env,
    });
    expect(written.code).toBe(0);
    expect(JSON.parse(written.stdout)).toEqual({
      file: 'bom.json',
      generator: 'built-in npm generator',
      components: 0,
    });
    expect(await mc(['sbom', 'validate', 'bom.json'], { cwd: dir, env })).toMatchObject({
      code: 0,
      stdout: 'bom.json: valid CycloneDX 1.6, 0 components\n',
    });
    const notSbom = await mc(['sbom', 'validate', 'grype.json'], { cwd: dir, env });
    expect(notSbom.code).toBe(2);
    expect(notSbom.stderr).toContain('CycloneDX 1.4–1.6 JSON or SPDX 2.3 JSON');
  });

  it('says what is missing when no scanner can scan a project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-scan-'));
    const result = await mc(['scan', '.'], { cwd: dir, env: { PATH: '/nonexistent' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'trivy and grype are not installed, and npm audit needs a package-lock.json',
    );
  });
});

describe('mc policy test input checks', () => {
  it('refuses a misspelt key instead of testing nothing', async () => {
    const { dir, env } = workspace();
    writeFileSync(join(dir, 'typo.yaml'), 'input: {findngs: []}\nexpect: {allow: true}\n');
    expect(await mc(['policy', 'test', 'typo.yaml'], { cwd: dir, env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('typo.yaml: input: unknown key findngs'),
    });
  });
});
