import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type AdmissionDeps, imageRules } from '../../lib/admission/index.js';
import { ecrHost, promotionSwitch } from '../../lib/images/index.js';
import type { EnvName } from '../../lib/plan/index.js';
import { defaultKmsSigner } from '../../lib/signing/index.js';
import { ImageStore } from '../../lib/state/index.js';
import { awsRegistries, awsStores } from './aws-deps.js';

let deps: AdmissionDeps | undefined;

/** The image functions' clients on AWS, created once per Lambda container from its environment. */
export function admissionDeps(): AdmissionDeps {
  if (deps) return deps;
  const { documents, table, evidence, waivers } = awsStores();
  const ssm = new SSMClient({});
  deps = {
    images: new ImageStore(documents, table),
    waivers,
    evidence,
    // ECR with GetAuthorizationToken credentials of the registry's own region, HTTPS only.
    registry: awsRegistries(),
    registryHost: ecrHost,
    // The bundled policy files, or those the function's environment names.
    ...imageRules(
      {
        trustPolicy: process.env.MC_TRUST_POLICY,
        promotionMap: process.env.MC_PROMOTION_MAP,
        freezeWindows: process.env.MC_FREEZE_WINDOWS,
      },
      process.env,
    ),
    // Read at every promotion, so switching it off takes effect at once.
    promotionStopped: async () => {
      const name = process.env.MC_PROMOTE_PARAMETER;
      if (!name) return promotionSwitch(process.env.MC_PROMOTE, 'the function environment');
      const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));
      return promotionSwitch(Parameter?.Value, `SSM parameter ${name}`);
    },
    kmsPublicKey: (arn) => defaultKmsSigner(arn).publicKey(),
    ...(process.env.MC_ENV ? { env: process.env.MC_ENV as EnvName } : {}),
    now: () => new Date(),
  };
  return deps;
}
