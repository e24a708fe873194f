import { SigningError } from './errors.js';

/** The audience Fulcio expects in an identity token. */
export const SIGSTORE_AUDIENCE = 'sigstore';

/**
 * The OIDC identity token keyless signing presents to Fulcio: the one given (`--identity-token`
 * or SIGSTORE_ID_TOKEN), else GitHub Actions' (`ACTIONS_ID_TOKEN_REQUEST_URL` and `_TOKEN`, which
 * exist only in a job with `permissions: id-token: write`). The token is never logged or stored.
 */
export async function identityToken(
  env: NodeJS.ProcessEnv,
  given?: string,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const explicit = given ?? env.SIGSTORE_ID_TOKEN;
  if (explicit) return explicit.trim();
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer)
    throw new SigningError(
      'NO_TOKEN',
      'keyless signing needs an OIDC identity token: run in GitHub Actions with `permissions: id-token: write`, or give --identity-token (or SIGSTORE_ID_TOKEN)',
    );
  const request = new URL(url);
  request.searchParams.set('audience', SIGSTORE_AUDIENCE);
  let response: Response;
  try {
    response = await fetchImpl(request, { headers: { authorization: `bearer ${bearer}` } });
  } catch (error) {
    throw new SigningError(
      'NO_TOKEN',
      `GitHub Actions' OIDC token service is unreachable: ${(error as Error).message}`,
    );
  }
  const body = (await response.json().catch(() => ({}))) as { value?: unknown };
  if (!response.ok || typeof body.value !== 'string')
    throw new SigningError(
      'NO_TOKEN',
      `GitHub Actions' OIDC token service answered ${response.status} without a token (does the job have \`permissions: id-token: write\`?)`,
    );
  return body.value;
}
