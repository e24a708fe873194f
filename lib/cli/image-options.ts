import type { Command } from 'commander';
import { type AdmissionDeps, imageRules } from '../admission/index.js';
import { ecrHost, promotionSwitch } from '../images/index.js';
import type { LocalBackend } from '../local/index.js';
import {
  defaultEcrAuth,
  type ImageReference,
  parseReference,
  type RegistryClient,
  registryClients,
  registrySettings,
} from '../registry/index.js';
import type { CliIO } from './io.js';
import { asUsage } from './policy-file.js';
import { kmsPublicKey } from './signer-options.js';

export interface RegistryFlags {
  readonly insecureRegistry?: boolean;
}

export interface ImagePolicyFlags extends RegistryFlags {
  readonly trustPolicy?: string;
  readonly promotionMap?: string;
  readonly freezeWindows?: string;
}

/** `--insecure-registry`, which every command that talks to a registry takes. */
export function addRegistryOption(command: Command): Command {
  return command.option(
    '--insecure-registry',
    'speak plain HTTP to the registry (loopback test registries); without it only HTTPS is used',
  );
}

/** `--trust-policy`, `--promotion-map`, `--freeze-windows` (each also from its MC_* variable). */
export function addImagePolicyOptions(command: Command): Command {
  return addRegistryOption(command)
    .option(
      '--trust-policy <file>',
      'who may sign and build what (or MC_TRUST_POLICY; default: the shipped one)',
    )
    .option(
      '--promotion-map <file>',
      "each service's repository per environment (or MC_PROMOTION_MAP; default: policy/promotion.yaml)",
    )
    .option(
      '--freeze-windows <file>',
      'times promotion is frozen (or MC_FREEZE_WINDOWS; default: policy/freeze-windows.yaml)',
    );
}

/** An image reference from the command line; a bad one is a usage error. */
export function imageReference(text: string): ImageReference {
  return asUsage(() => parseReference(text));
}

/**
 * A client for a registry host: ECR with GetAuthorizationToken (the AWS credentials of the
 * environment), others with MC_REGISTRY_USERNAME / MC_REGISTRY_PASSWORD when set, else
 * anonymously; plain HTTP with --insecure-registry or for the hosts MC_INSECURE_REGISTRIES lists.
 */
export function registryClient(io: CliIO, flags: RegistryFlags, host: string): RegistryClient {
  return registryFactory(io, flags)(host);
}

function registryFactory(io: CliIO, flags: RegistryFlags): (host: string) => RegistryClient {
  const settings = registrySettings(io.env);
  return registryClients({
    ...settings,
    ...(flags.insecureRegistry ? { insecure: true } : {}),
    ecr: defaultEcrAuth,
  });
}

/** The image functions' dependencies on a workstation: the project's embedded state, registries over the network. */
export function localAdmissionDeps(io: CliIO, backend: LocalBackend, flags: ImagePolicyFlags): AdmissionDeps {
  return {
    images: backend.images,
    waivers: backend.waivers,
    evidence: backend.evidence,
    registry: registryFactory(io, flags),
    // An ECR event names an account and region; MC_REGISTRY points them at another registry.
    registryHost: (account, region) => io.env.MC_REGISTRY ?? ecrHost(account, region),
    // A file that cannot be used is the command line's fault: a usage error.
    ...imageRules(
      {
        trustPolicy: flags.trustPolicy ?? io.env.MC_TRUST_POLICY,
        promotionMap: flags.promotionMap ?? io.env.MC_PROMOTION_MAP,
        freezeWindows: flags.freezeWindows ?? io.env.MC_FREEZE_WINDOWS,
      },
      io.env,
      io.cwd,
      asUsage,
    ),
    promotionStopped: async () => promotionSwitch(io.env.MC_PROMOTE, 'from the environment'),
    kmsPublicKey: (arn) => kmsPublicKey(arn, io),
    now: () => new Date(),
  };
}
