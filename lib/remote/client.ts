import { SFNClient } from '@aws-sdk/client-sfn';

/** The one method of the SDK client we use; tests hand in a stand-in. */
export type SfnClient = Pick<SFNClient, 'send'>;

/** The SDK's error name (`ExecutionAlreadyExists`, `AccessDeniedException`, …), if any. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * The CLI's client, configured from the command's environment (not the process's, so tests hand
 * theirs): the region of the target, `AWS_ENDPOINT_URL_SFN` / `AWS_ENDPOINT_URL`, and key
 * credentials when the environment has them; otherwise the SDK's default chain (profiles, SSO,
 * web identity, instance roles).
 */
export function sfnClientFromEnv(
  region: string,
  env: Readonly<Record<string, string | undefined>>,
): SFNClient {
  const endpoint = env.AWS_ENDPOINT_URL_SFN ?? env.AWS_ENDPOINT_URL;
  const keys =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {};
  return new SFNClient({ region, ...(endpoint ? { endpoint } : {}), ...keys });
}
