import { anonymous, basicAuth, type RegistryAuth } from './auth.js';
import { RegistryClient } from './client.js';

const ECR_HOST = /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

export interface RegistryClientsOptions {
  /** Hosts spoken to over plain HTTP, or `true` for every host (`--insecure-registry`). */
  readonly insecure?: boolean | ReadonlySet<string>;
  /** ECR's credentials for a region (GetAuthorizationToken with the caller's AWS credentials). */
  readonly ecr?: (region: string) => RegistryAuth;
  /** Credentials for every other registry (MC_REGISTRY_USERNAME / MC_REGISTRY_PASSWORD). */
  readonly basic?: { readonly username: string; readonly password: string };
}

/**
 * A new client per call (one per verification, so each thing is fetched once), authenticated as
 * its host needs: ECR hosts with their region's token, others with basic credentials when given,
 * else anonymously (a bearer challenge is still answered).
 */
export function registryClients(options: RegistryClientsOptions): (host: string) => RegistryClient {
  const ecr = new Map<string, RegistryAuth>();
  return (host) => {
    const region = ECR_HOST.exec(host)?.[1];
    let auth: RegistryAuth = options.basic
      ? basicAuth(options.basic.username, options.basic.password)
      : anonymous;
    if (region && options.ecr) {
      if (!ecr.has(region)) ecr.set(region, options.ecr(region));
      auth = ecr.get(region) as RegistryAuth;
    }
    const insecure =
      options.insecure === true || (options.insecure instanceof Set && options.insecure.has(host));
    return new RegistryClient(host, { insecure, auth });
  };
}

/** The registry settings of an environment: MC_INSECURE_REGISTRIES (comma-separated hosts) and basic credentials. */
export function registrySettings(
  env: Readonly<Record<string, string | undefined>>,
): Pick<RegistryClientsOptions, 'insecure' | 'basic'> {
  const hosts = (env.MC_INSECURE_REGISTRIES ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  return {
    insecure: new Set(hosts),
    ...(env.MC_REGISTRY_USERNAME && env.MC_REGISTRY_PASSWORD
      ? { basic: { username: env.MC_REGISTRY_USERNAME, password: env.MC_REGISTRY_PASSWORD } }
      : {}),
  };
}
