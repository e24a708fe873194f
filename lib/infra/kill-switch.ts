import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { EnvName } from '../plan/index.js';

/** The kill switch's name, known before deployment (the promote function is told it). */
export const killSwitchName = (env: EnvName): string => `/mc/${env}/promote`;

/**
 * The promotion kill switch: an SSM parameter the promote function reads at every promotion.
 * `false` stops every promotion at once (aws ssm put-parameter --overwrite --name … --value false).
 */
export class KillSwitch extends Construct {
  readonly parameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: { readonly env: EnvName }) {
    super(scope, id);
    this.parameter = new ssm.StringParameter(this, 'Parameter', {
      parameterName: killSwitchName(props.env),
      stringValue: 'true',
      description: `Maestro Conductor (${props.env}): false stops every image promotion (MC_PROMOTE)`,
    });
  }
}
