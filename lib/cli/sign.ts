import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { githubContext } from '../local/index.js';
import { loadPipeline } from '../pipeline/index.js';
import { npmResolvedDependencies } from '../sbom/index.js';
import { provenanceStatement, signMessage, signStatement } from '../signing/index.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { jsonOption } from './options.js';
import { addSignerOptions, type SignerFlags, signerFrom, writeKeys } from './signer-options.js';

export function registerSigning(program: Command, io: CliIO, exit: (code: number) => void): void {
  const keys = program.command('keys').description('manage the project signing key (.mc/keys/)');
  keys
    .command('generate')
    .description('create an ECDSA P-256 key pair: .mc/keys/mc.key (mode 0600) and mc.pub')
    .option('--force', 'replace an existing key pair')
    .addOption(jsonOption())
    .addHelpText('after', '\nExit codes: 0 created, 2 usage error (a key exists without --force).')
    .action((options: { force?: boolean; json?: boolean }) => {
      const paths = writeKeys(io, options.force === true);
      if (options.json) printJson(io, paths);
      else io.stdout(`wrote ${paths.privateKey} (private, 0600) and ${paths.publicKey}\n`);
      exit(EXIT.ok);
    });

  addSignerOptions(
    program
      .command('sign')
      .description(
        'sign files: FILE.sigstore.json (Sigstore bundle v0.3, message signature), FILE.sig (base64 signature, as cosign writes it) and, keyless, FILE.pem (the Fulcio certificate)',
      )
      .argument('<files...>', 'the files to sign'),
  )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nKeyless signing is for CI: in GitHub Actions give the job `permissions: id-token: write`; the token is never printed or stored.\nExit codes: 0 signed, 1 signing failed (KMS, Fulcio, Rekor, no OIDC token), 2 usage error (unreadable file or key, conflicting flags).',
    )
    .action(async (files: string[], options: SignerFlags & { json?: boolean }) => {
      const { signing, description } = await signerFrom(options, io);
      const written: { file: string; bundle: string; sig: string; certificate?: string; sha256: string }[] =
        [];
      for (const name of files) {
        const path = resolve(io.cwd, name);
        const data = readBytes(path, name);
        const bundle = await signMessage(signing, data);
        writeFileSync(`${path}.sigstore.json`, `${JSON.stringify(bundle, null, 2)}\n`);
        writeFileSync(`${path}.sig`, `${bundle.messageSignature?.signature ?? ''}\n`);
        const certificate = bundle.verificationMaterial.certificate?.rawBytes;
        if (certificate) writeFileSync(`${path}.pem`, certificatePem(certificate));
        written.push({
          file: name,
          bundle: `${name}.sigstore.json`,
          sig: `${name}.sig`,
          ...(certificate ? { certificate: `${name}.pem` } : {}),
          sha256: sha256(data),
        });
      }
      if (options.json) printJson(io, { signer: description, signed: written });
      else
        for (const w of written)
          io.stdout(
            `signed ${w.file} (sha256:${w.sha256}) with ${description}: ${[w.bundle, w.sig, w.certificate].filter(Boolean).join(', ')}\n`,
          );
      exit(EXIT.ok);
    });

  addSignerOptions(
    program
      .command('attest')
      .description(
        'write SLSA v1 provenance for a file, signed as a DSSE bundle (in-toto Statement v1); what cannot be known here is left out',
      )
      .argument('<file>', 'the artifact'),
  )
    .option('--predicate-type <type>', 'the predicate (only slsaprovenance1)', 'slsaprovenance1')
    .option('-o, --output <file>', 'where to write the bundle (default FILE.intoto.sigstore.json)')
    .option(
      '--pipeline <file>',
      'the pipeline that built it (its name and digest go into externalParameters)',
    )
    .option('--env <env>', 'the environment it was built for')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nSource (repository, commit, ref) comes from GitHub Actions variables or the git checkout; resolved dependencies from ./package-lock.json; the run from MC_RUN_ID.\nExit codes: 0 written, 1 signing failed, 2 usage error.',
    )
    .action(
      async (
        name: string,
        options: SignerFlags & {
          predicateType: string;
          output?: string;
          pipeline?: string;
          env?: string;
          json?: boolean;
        },
      ) => {
        if (options.predicateType !== 'slsaprovenance1')
          throw new UsageError(
            `--predicate-type ${options.predicateType}: mc attests slsaprovenance1 (SLSA Provenance v1)`,
          );
        const path = resolve(io.cwd, name);
        const data = readBytes(path, name);
        const source = githubContext(io.cwd, io.env);
        const pipeline = options.pipeline ? readInputFile(io.cwd, options.pipeline) : undefined;
        const lock = join(io.cwd, 'package-lock.json');
        const statement = provenanceStatement([{ name: basename(name), sha256: sha256(data) }], {
          ...(io.env.MC_BUILDER_ID ? { builderId: io.env.MC_BUILDER_ID } : {}),
          ...(pipeline
            ? { pipeline: { name: pipelineName(pipeline.text, pipeline.display), text: pipeline.text } }
            : {}),
          source: {
            ...(source.repository ? { repository: source.repository } : {}),
            ...(source.sha ? { commit: source.sha } : {}),
            ...(source.ref ? { ref: source.ref } : {}),
          },
          ...(options.env ? { env: options.env } : {}),
          ...(io.env.MC_RUN_ID ? { run: { id: io.env.MC_RUN_ID } } : {}),
          ...(existsSync(lock) ? { dependencies: resolvedDependencies(io.cwd) } : {}),
        });
        const { signing, description } = await signerFrom(options, io);
        const bundle = await signStatement(signing, statement);
        const output = options.output ?? `${name}.intoto.sigstore.json`;
        writeFileSync(resolve(io.cwd, output), `${JSON.stringify(bundle, null, 2)}\n`);
        if (options.json) printJson(io, { file: name, bundle: output, signer: description, statement });
        else
          io.stdout(
            `attested ${name} (sha256:${sha256(data)}, SLSA provenance v1) with ${description}: ${output}\n`,
          );
        exit(EXIT.ok);
      },
    );
}

function readBytes(path: string, name: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(
      `cannot read ${name}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
}

// A certificate as cosign writes FILE.pem: PEM, 64 characters a line.
function certificatePem(base64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function pipelineName(text: string, display: string): string {
  const { pipeline } = loadPipeline(display, text);
  if (!pipeline) throw new UsageError(`${display} is not a valid pipeline (mc validate ${display} says why)`);
  return pipeline.metadata.name;
}

// What the lockfile says was resolved; a lockfile mc cannot read is left out, as anything unknown.
function resolvedDependencies(dir: string): { uri: string; digest: Record<string, string> }[] {
  try {
    return npmResolvedDependencies(dir);
  } catch {
    return [];
  }
}
