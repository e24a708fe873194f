import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { ecrAuth, type RegistryAuth } from './auth.js';

/** ECR credentials for a region with the default AWS credentials of the process (CLI, Lambda, local runs). */
export function defaultEcrAuth(region: string): RegistryAuth {
  return ecrAuth(new ECRClient({ region }), () => new GetAuthorizationTokenCommand({}));
}
