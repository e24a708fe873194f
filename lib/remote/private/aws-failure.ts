import { RemoteError } from '../errors.js';

/** An SDK failure as a RemoteError naming the call, the AWS error and what to check. */
export function awsFailure(operation: string, error: unknown, service = 'Step Functions'): RemoteError {
  if (error instanceof RemoteError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'Forbidden'
      ? ' (the credentials in use may not call it on this resource: see docs/github-actions.md)'
      : name === 'CredentialsProviderError'
        ? ' (no AWS credentials found: configure them, or in GitHub Actions use the mc workflow)'
        : name === 'NoSuchBucket'
          ? ' (no such evidence bucket: pass --evidence-bucket, or deploy the stack of this environment)'
          : '';
  return new RemoteError('AWS', `${service} ${operation} failed: ${name}: ${message}${hint}`, {
    cause: error,
  });
}
