import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePromotionMap } from '../../lib/images/index.js';
import { imageScope } from '../../lib/infra/image-scope.js';
import { parseEnvironments } from '../../lib/infra/index.js';
import { parseTrustPolicy } from '../../lib/trust/index.js';
import { ROOT } from './support/synth.js';

const context = () =>
  structuredClone(JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context['mc:environments']);
const noTrust = parseTrustPolicy(
  'apiVersion: policy.maestro.dev/v1\nkind: TrustPolicy\nmetadata: {name: t}\n',
  't',
  ROOT,
);

describe('the cdk.json context', () => {
  it('refuses repositories listed beside the promotion map, pointing at it', () => {
    const environments = context();
    environments.dev.watchedRepositories = ['mc-dev/api'];
    expect(() => parseEnvironments(environments)).toThrow(
      /mc:environments\.dev\.watchedRepositories: the repositories of an environment .* promotion map \(policy\/promotion\.yaml\)/,
    );
  });
});

describe('the image scope of a stack', () => {
  const map = parsePromotionMap(
    `apiVersion: policy.maestro.dev/v1
kind: PromotionMap
metadata: {name: m}
services:
  api:
    dev: 111111111111.dkr.ecr.eu-west-1.amazonaws.com/mc-dev/api
    staging: 222222222222.dkr.ecr.eu-west-1.amazonaws.com/mc-staging/api
  web:
    staging: 222222222222.dkr.ecr.eu-west-1.amazonaws.com/mc-staging/web
`,
    'promotion.yaml',
  );

  it('watches its own repositories and may push only into the next environment', () => {
    expect(imageScope(map, noTrust, 'dev', '111111111111', 'eu-west-1')).toEqual({
      watched: ['mc-dev/api'],
      watchedArns: ['arn:aws:ecr:eu-west-1:111111111111:repository/mc-dev/api'],
      promotionTargetArns: ['arn:aws:ecr:eu-west-1:222222222222:repository/mc-staging/api'],
      trustedKeyArns: [],
    });
    expect(imageScope(map, noTrust, 'staging', '222222222222', 'eu-west-1').promotionTargetArns).toEqual([]);
  });

  it('refuses a repository of the environment in another account, naming the service', () => {
    expect(() => imageScope(map, noTrust, 'staging', '999999999999', 'eu-west-1')).toThrow(
      /api\.staging: .* is not in this environment's ECR \(999999999999, eu-west-1\)/,
    );
  });
});
