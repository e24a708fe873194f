import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

/** The one method of the SDK client we use; tests hand in a stand-in. */
export type SfnClient = Pick<SFNClient, 'send'>;

/** The SDK's error name (`ExecutionAlreadyExists`, `AccessDeniedException`, …), if any. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * The CLI's Step Functions client, configured from the command's environment (not the process's, so tests hand
 * theirs): the region of the target, `AWS_ENDPOINT_URL_SFN` / `AWS_ENDPOINT_URL`, and key
 * credentials when the environment has them; otherwise the SDK's default chain (profiles, SSO,
 * web identity, instance roles).
 */
export function sfnClientFromEnv(
  region: string,
  env: Readonly<Record<string, string | undefined>>,
): SFNClient {
  const endpoint = env.AWS_ENDPOINT_URL_SFN ?? env.AWS_ENDPOINT_URL;
  return new SFNClient({ region, ...(endpoint ? { endpoint } : {}), ...keyCredentials(env) });
}

/**
 * The client that writes the run's opening evidence, configured like the SFN one
 * (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`); `MC_S3_FORCE_PATH_STYLE=true` for S3-compatible
 * stores, as the platform functions read it.
 */
export function s3ClientFromEnv(region: string, env: Readonly<Record<string, string | undefined>>): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return new S3Client({
    region,
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: env.MC_S3_FORCE_PATH_STYLE === 'true',
    ...keyCredentials(env),
  });
}

function keyCredentials(env: Readonly<Record<string, string | undefined>>) {
  return env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? {
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        },
      }
    : {};
}
