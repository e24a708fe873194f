import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { type Command, Option } from 'commander';
import { compileVerifyImage, EVENT_SOURCE, IMAGE_EVENTS } from '../../statemachines/index.js';
import { type AdmissionDeps, promoteVerified, rollback, verifyImage } from '../admission/index.js';
import type { Json } from '../contract/index.js';
import { locateRepository } from '../images/index.js';
import { evidenceEventSink, type PutEventsEntry, runImageMachine } from '../local/index.js';
import { ENVIRONMENTS, type EnvName } from '../plan/index.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';
import {
  addImagePolicyOptions,
  type ImagePolicyFlags,
  imageReference,
  localAdmissionDeps,
  registryClient,
} from './image-options.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { withLocalBackend } from './local-backend.js';
import { jsonOption } from './options.js';
import { asUsage } from './policy-file.js';

type Flags = ImagePolicyFlags & { readonly json?: boolean };
const envOption = (what: string) => new Option('--env <env>', what).choices(ENVIRONMENTS);

export function registerImageAdmission(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('images')
    .description(
      'the recorded images: digest, signature, provenance and SBOM status, promotion (the registry attestation view)',
    )
    .addOption(envOption('only the images of this environment'))
    .addOption(jsonOption())
    .addHelpText('after', '\nExit codes: 0 listed (also when there is nothing to list), 2 usage error.')
    .action(async (flags: { env?: EnvName; json?: boolean }) =>
      exit(
        await withLocalBackend(io, async (backend) => {
          const images = await backend.images.listImages(flags.env);
          if (flags.json) printJson(io, { images });
          else if (!images.length)
            io.stdout(`no images are recorded${flags.env ? ` in ${flags.env}` : ''}\n`);
          else
            for (const i of images)
              io.stdout(
                `${i.image}@${i.digest.slice(0, 19)}…  ${i.env}  ${i.status}  signature ${i.signature.status}, provenance ${i.provenance.status}, sbom ${i.sbom.status}${i.sbomLink ? ` (${i.sbomLink})` : ''}${i.promotion ? `  ${i.promotion.state} → ${i.promotion.to}${i.promotion.reason ? ` (${i.promotion.reason})` : ''}` : ''}\n  evidence ${i.evidence}\n`,
              );
          return EXIT.ok;
        }),
      ),
    );

  addImagePolicyOptions(
    program
      .command('promote')
      .description(
        "verify an image and copy it (with its signatures and attestations) into the next environment's repository, as an ECR push does automatically",
      )
      .argument('<image>', 'registry/repository:tag or @sha256:<digest>, a repository of the promotion map')
      .requiredOption('--to <env>', 'the environment to promote into (the next one in the promotion map)'),
  )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nThe same checks as automatic promotion: the trust and supply-chain policies of both environments, freeze windows, the kill switch MC_PROMOTE=false. The decision and the promotion are recorded in .mc/ and their events kept under events/.\nExit codes: 0 promoted (or promoted before), 1 rejected or blocked (the reasons on stderr), 2 usage error.',
    )
    .action(async (image: string, flags: Flags & { to: string }) =>
      exit(
        await withLocalBackend(io, (backend) =>
          promoteCommand(io, localAdmissionDeps(io, backend, flags), image, flags),
        ),
      ),
    );

  addImagePolicyOptions(
    program
      .command('rollback')
      .description("re-point an environment's tag to the service's last image recorded as good there")
      .argument('<service>', 'a service of the promotion map')
      .addOption(envOption('the environment to roll back').makeOptionMandatory()),
  )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nGood means verified in that environment or promoted into it; a digest rolled back from is skipped, so a second rollback goes further back.\nExit codes: 0 rolled back, 1 nothing earlier is recorded or the registry failed, 2 usage error.',
    )
    .action(async (service: string, flags: Flags & { env: EnvName }) =>
      exit(
        await withLocalBackend(io, async (backend) => {
          const result = await rollback(localAdmissionDeps(io, backend, flags), service, flags.env);
          if (flags.json) printJson(io, result);
          else
            io.stdout(
              `rolled back ${service} in ${flags.env}: ${result.image}:${result.tag} now points at ${result.to}${result.from ? ` (was ${result.from})` : ''}\n`,
            );
          return EXIT.ok;
        }),
      ),
    );

  addImagePolicyOptions(
    program
      .command('verify-push')
      .description(
        'run the verify-image state machine locally on an ECR push event (what EventBridge starts on AWS)',
      )
      .argument('<event>', 'an EventBridge "ECR Image Action" event (JSON file)'),
  )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nThe event names an account and region; MC_REGISTRY points them at another registry (e.g. 127.0.0.1:5000 with --insecure-registry). Events the machine announces are printed and kept under events/ in .mc/.\nExit codes: 0 the execution succeeded (verified, promoted, blocked or ignored), 1 it failed (rejected, unverifiable), 2 usage error.',
    )
    .action(async (name: string, flags: Flags) => {
      const file = readInputFile(io.cwd, name);
      const event = asUsage(() => {
        try {
          return JSON.parse(file.text) as Json;
        } catch (error) {
          throw new UsageError(`${file.display}: not JSON (${(error as Error).message})`);
        }
      });
      exit(
        await withLocalBackend(io, async (backend) => {
          const deps = localAdmissionDeps(io, backend, flags);
          const run = await runImageMachine({
            definition: compileVerifyImage(),
            event,
            deps,
            events: sink(io, deps, flags),
          });
          if (flags.json) printJson(io, run);
          else {
            io.stdout(`${run.status}: ${run.states.join(' → ')}\n`);
            if (run.error) io.stderr(`mc: ${run.error.Error}: ${run.error.Cause}\n`);
          }
          return run.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
        }),
      );
    });
}

async function promoteCommand(io: CliIO, deps: AdmissionDeps, image: string, flags: Flags & { to: string }) {
  const ref = imageReference(image);
  const name = `${ref.registry}/${ref.repository}`;
  const mapped = locateRepository(deps.promotionMap(), name);
  if (!mapped)
    throw new UsageError(`${name} is in no environment of the promotion map ${deps.promotionMap().file}`);
  if (mapped.next?.env !== flags.to)
    throw new UsageError(
      `${name} is ${mapped.service} in ${mapped.env}; ${mapped.next ? `it is promoted to ${mapped.next.env}` : 'nothing comes after it'}, not ${flags.to}`,
    );
  const digest =
    ref.digest ??
    (await registryClient(io, flags, ref.registry).resolve(ref.repository, ref.tag as string))?.digest;
  if (!digest) throw new UsageError(`${image}: no such tag`);
  const execution = `mc promote by ${who()}@${hostname()} (${randomUUID()})`;
  const eventId = `manual-${randomUUID()}`;
  const events = sink(io, deps, flags);
  const verified = await verifyImage(deps, {
    host: ref.registry,
    repository: ref.repository,
    digest,
    ...(ref.tag ? { tag: ref.tag } : {}),
    eventId,
    execution,
  });
  if (verified.outcome !== 'verified' && verified.outcome !== 'rejected')
    throw new UsageError(`${image}: verification ${verified.outcome}`);
  const detail = verified.detail;
  await announce(
    events,
    verified.outcome === 'verified' ? IMAGE_EVENTS.verified : IMAGE_EVENTS.rejected,
    detail,
  );
  const refusal =
    verified.outcome === 'rejected'
      ? detail.reasons
      : !verified.promote
        ? (detail.promotion?.reasons ?? [])
        : [];
  if (verified.outcome === 'rejected' || !verified.promote) {
    if (flags.json) printJson(io, { promoted: false, verification: detail });
    io.stderr(`mc: ${name}@${digest} is not promoted to ${flags.to}:\n`);
    for (const r of refusal) io.stderr(`  ${r.code}: ${r.message}\n`);
    return EXIT.failed;
  }
  const promoted = await promoteVerified(deps, { image: name, digest, eventId, execution });
  await announce(
    events,
    promoted.outcome === 'promoted' ? IMAGE_EVENTS.promoted : IMAGE_EVENTS.promotionBlocked,
    promoted.detail,
  );
  if (flags.json)
    printJson(io, {
      promoted: promoted.outcome === 'promoted',
      verification: detail,
      promotion: promoted.detail,
    });
  if (promoted.outcome === 'blocked') {
    io.stderr(`mc: ${name}@${digest} is not promoted: ${promoted.detail.code}: ${promoted.detail.reason}\n`);
    return EXIT.failed;
  }
  if (!flags.json)
    io.stdout(
      `promoted ${name}@${digest} to ${promoted.detail.target} (${promoted.detail.tags.join(', ')})${promoted.already ? ', as before' : ''}\n`,
    );
  return EXIT.ok;
}

// Announced events go to the project's evidence (events/) and, without --json, to stderr.
function sink(io: CliIO, deps: AdmissionDeps, flags: Flags) {
  return evidenceEventSink(deps.evidence, deps.now, (entry: PutEventsEntry) => {
    if (!flags.json) io.stderr(`event: ${entry.DetailType}\n`);
  });
}

function announce(events: ReturnType<typeof sink>, detailType: string, detail: unknown) {
  return events([{ Source: EVENT_SOURCE, DetailType: detailType, Detail: detail as Json }]);
}

// The user, for the record; a container without a passwd entry has none.
function who(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
