import { KMSClient } from '@aws-sdk/client-kms';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AdmissionDeps } from '../../lib/admission/index.js';
import { enforcementFrom, shippedPolicy } from '../../lib/gate/index.js';
import {
  ecrHost,
  type FreezeWindows,
  loadFreezeWindows,
  loadPromotionMap,
  type PromotionMap,
  promotionSwitch,
} from '../../lib/images/index.js';
import type { EnvName } from '../../lib/plan/index.js';
import { KmsSigner } from '../../lib/signing/index.js';
import { ImageStore } from '../../lib/state/index.js';
import { loadTrustPolicy, type TrustPolicy } from '../../lib/trust/index.js';
import { awsRegistries, awsStores } from './aws-deps.js';

let deps: AdmissionDeps | undefined;

/** The image functions' clients on AWS, created once per Lambda container from its environment. */
export function admissionDeps(): AdmissionDeps {
  if (deps) return deps;
  const { documents, table, evidence, waivers } = awsStores();
  const ssm = new SSMClient({});
  let trust: TrustPolicy | undefined;
  let map: PromotionMap | undefined;
  let windows: FreezeWindows | undefined;
  deps = {
    images: new ImageStore(documents, table),
    waivers,
    evidence,
    // ECR with GetAuthorizationToken credentials of the registry's own region, HTTPS only.
    registry: awsRegistries(),
    registryHost: ecrHost,
    trustPolicy: () => {
      trust ??= loadTrustPolicy(process.env.MC_TRUST_POLICY);
      return trust;
    },
    promotionMap: () => {
      map ??= loadPromotionMap(process.env.MC_PROMOTION_MAP);
      return map;
    },
    freezeWindows: () => {
      windows ??= loadFreezeWindows(process.env.MC_FREEZE_WINDOWS);
      return windows;
    },
    // Read at every promotion, so switching it off takes effect at once.
    promotionStopped: async () => {
      const name = process.env.MC_PROMOTE_PARAMETER;
      if (!name) return promotionSwitch(process.env.MC_PROMOTE, 'the function environment');
      const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));
      return promotionSwitch(Parameter?.Value, `SSM parameter ${name}`);
    },
    policy: shippedPolicy,
    enforce: enforcementFrom(process.env),
    kmsPublicKey: (arn) => {
      const region = /^arn:aws[\w-]*:kms:([\w-]+):/.exec(arn)?.[1];
      return new KmsSigner(new KMSClient(region ? { region } : {}), arn).publicKey();
    },
    ...(process.env.MC_ENV ? { env: process.env.MC_ENV as EnvName } : {}),
    now: () => new Date(),
  };
  return deps;
}
