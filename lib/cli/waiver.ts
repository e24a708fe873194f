import { type Command, Option } from 'commander';
import {
  addWaiver,
  approveWaiver,
  listWaivers,
  maxWaiverTtlSeconds,
  revokeWaiver,
  type Waiver,
  type WaiverDeps,
  WaiverError,
} from '../gate/index.js';
import type { LocalBackend } from '../local/index.js';
import { ENVIRONMENTS, type EnvName } from '../plan/index.js';
import { UsageError } from './errors.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { withLocalBackend } from './local-backend.js';
import { jsonOption } from './options.js';
import { loadPolicy } from './policy-file.js';

interface AddOptions {
  readonly vuln: string;
  readonly component?: string;
  readonly digest?: string;
  readonly ttl: string;
  readonly reason: string;
  readonly owner: string;
  readonly env?: EnvName;
  readonly policy?: string;
  readonly json?: boolean;
}

export function registerWaiver(program: Command, io: CliIO, exit: (code: number) => void): void {
  const waiver = program
    .command('waiver')
    .description(
      "manage the project's waivers (in .mc/): time-boxed exceptions to the policy, approved by a second person for prod",
    );
  const exitCodes = '\nExit codes: 0 done, 1 refused (see the message), 2 usage error.';
  waiver
    .command('add')
    .description('record a waiver for one vulnerability, for a component or an artifact, for a limited time')
    .requiredOption('--vuln <id>', 'the vulnerability (CVE-…, GHSA-…; aliases match), or MC-PROVENANCE')
    .option('--component <purl>', 'only this component (a package URL; without a version, every version)')
    .option('--digest <sha256:hex>', 'only findings in this artifact')
    .requiredOption(
      '--ttl <duration>',
      'how long it lives, e.g. 7d, 12h (at most the policy maximum, 30d by default)',
    )
    .requiredOption('--reason <text>', 'why the risk is accepted')
    .requiredOption('--owner <who>', 'who answers for it')
    .addOption(new Option('--env <env>', 'only in this environment (default: all)').choices(ENVIRONMENTS))
    .option('--policy <file>', 'the policy whose max_waiver_ttl applies (default: the shipped one)')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `\nIn prod a waiver applies only once someone other than its owner approved it (mc waiver approve).${exitCodes}`,
    )
    .action(async (options: AddOptions) =>
      exit(
        await withWaivers(io, async (deps) => {
          const max = maxWaiverTtlSeconds(loadPolicy(io.cwd, options.policy));
          const added = await requestAsUsage(() =>
            addWaiver(
              deps,
              {
                vulnerability: options.vuln,
                ...(options.component ? { component: options.component } : {}),
                ...(options.digest ? { digest: options.digest } : {}),
                ...(options.env ? { env: options.env } : {}),
                ttl: options.ttl,
                reason: options.reason,
                owner: options.owner,
              },
              max,
            ),
          );
          show(
            io,
            options.json,
            added,
            `added waiver ${added.id} for ${added.vulnerability}, until ${added.expiresAt}`,
          );
          return EXIT.ok;
        }),
      ),
    );
  waiver
    .command('approve')
    .description('approve a waiver (the approver must not be its owner)')
    .argument('<id>', 'the waiver id')
    .requiredOption('--by <who>', 'who approves')
    .addOption(jsonOption())
    .addHelpText('after', exitCodes)
    .action(async (id: string, options: { by: string; json?: boolean }) =>
      exit(
        await withWaivers(io, async (deps) => {
          const approved = await approveWaiver(deps, id, options.by);
          show(
            io,
            options.json,
            approved,
            `approved waiver ${id} (owner ${approved.owner}) by ${options.by}`,
          );
          return EXIT.ok;
        }),
      ),
    );
  waiver
    .command('revoke')
    .description('end a waiver now')
    .argument('<id>', 'the waiver id')
    .option('--by <who>', 'who revokes (default: $USER)')
    .addOption(jsonOption())
    .addHelpText('after', exitCodes)
    .action(async (id: string, options: { by?: string; json?: boolean }) =>
      exit(
        await withWaivers(io, async (deps) => {
          const revoked = await revokeWaiver(deps, id, options.by ?? io.env.USER ?? 'unknown');
          show(io, options.json, revoked, `revoked waiver ${id}`);
          return EXIT.ok;
        }),
      ),
    );
  waiver
    .command('list')
    .description('the waivers in force or awaiting approval (with --all, expired and revoked ones too)')
    .option('--all', 'include expired and revoked waivers')
    .addOption(jsonOption())
    .addHelpText('after', '\nExit codes: 0 listed, 2 usage error.')
    .action(async (options: { all?: boolean; json?: boolean }) =>
      exit(
        await withWaivers(io, async (deps) => {
          const waivers = await listWaivers(deps, options.all === true);
          if (options.json)
            printJson(
              io,
              waivers.map(({ waiver, state }) => ({ ...waiver, state })),
            );
          else if (!waivers.length)
            io.stdout(
              options.all
                ? 'no waivers recorded\n'
                : 'no waivers in force (mc waiver list --all shows expired and revoked ones)\n',
            );
          else for (const { waiver, state } of waivers) io.stdout(`${line(waiver)}  [${state}]\n`);
          return EXIT.ok;
        }),
      ),
    );
}

function withWaivers(io: CliIO, work: (deps: WaiverDeps) => Promise<number>): Promise<number> {
  return withLocalBackend(io, (backend: LocalBackend) =>
    work({ waivers: backend.waivers, evidence: backend.evidence, now: () => new Date() }),
  );
}

async function requestAsUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Bad input (a TTL over the maximum, a malformed digest) is the command line's fault.
    if (error instanceof WaiverError && ['BAD_TTL', 'TTL_TOO_LONG', 'BAD_INPUT'].includes(error.code))
      throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

function show(io: CliIO, json: boolean | undefined, waiver: Waiver, text: string): void {
  if (json) printJson(io, waiver);
  else io.stdout(`${text}\n`);
}

function line(w: Waiver): string {
  const scope = w.component ?? w.digest ?? 'any component';
  const approval = w.approvedBy ? `approved by ${w.approvedBy}` : 'not approved';
  return `${w.id}  ${w.vulnerability}  ${scope}${w.env ? `  (${w.env} only)` : ''}  owner ${w.owner}, ${approval}, until ${w.expiresAt}: ${w.reason}`;
}
