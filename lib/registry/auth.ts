import { RegistryError } from './errors.js';

/** Credentials for a registry: what goes into the Authorization header, given a challenge. */
export interface RegistryAuth {
  /** Basic credentials, if any (ECR tokens, user and password). */
  basic(): Promise<{ username: string; password: string } | undefined>;
}

export const anonymous: RegistryAuth = { basic: async () => undefined };

export function basicAuth(username: string, password: string): RegistryAuth {
  return { basic: async () => ({ username, password }) };
}

/** The part of the ECR client the adapter uses (a real ECRClient on AWS). */
export interface EcrTokenSource {
  send(
    command: unknown,
  ): Promise<{ authorizationData?: { authorizationToken?: string; expiresAt?: Date }[] }>;
}

/**
 * ECR's credentials: GetAuthorizationToken gives `AWS:<password>` base64-encoded, valid for hours;
 * fetched once and reused until five minutes before it expires.
 */
export function ecrAuth(
  client: EcrTokenSource,
  command: () => unknown,
  now: () => Date = () => new Date(),
): RegistryAuth {
  let cached: { username: string; password: string; expiresAt: number } | undefined;
  return {
    basic: async () => {
      if (cached && cached.expiresAt - 300_000 > now().getTime()) return cached;
      const data = (await client.send(command())).authorizationData?.[0];
      const decoded = Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new RegistryError('DENIED', 'ECR returned no authorization token');
      cached = {
        username: decoded.slice(0, colon),
        password: decoded.slice(colon + 1),
        expiresAt: data?.expiresAt?.getTime() ?? now().getTime() + 3_600_000,
      };
      return cached;
    },
  };
}

/** A `WWW-Authenticate: Bearer realm=…,service=…,scope=…` challenge's parameters. */
export function parseBearerChallenge(header: string): Record<string, string> | undefined {
  const match = /^Bearer\s+(.*)$/i.exec(header.trim());
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const part of match[1].matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) params[part[1]] = part[2];
  return params.realm ? params : undefined;
}
