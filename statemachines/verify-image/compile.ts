import { ERROR_NAMES, type Json } from '../../lib/contract/index.js';
import { assemble } from '../asl/graph.js';
import type { Retrier, State, StateMachineDefinition, TaskState } from '../asl/types.js';
import { RESOURCES } from '../pipeline/resources.js';
import { EVENT_SOURCE, IMAGE_EVENTS, IMAGE_FUNCTIONS, type ImageFunction, PUT_EVENTS } from './resources.js';

// Lambda's own transient errors, as the Step Functions console suggests retrying them.
const LAMBDA_TRANSIENT = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** A registry that does not answer is asked twice more, 5 s then 10 s later (Retry ≤ 2). */
const REGISTRY_RETRY: Retrier = {
  ErrorEquals: [ERROR_NAMES.registryUnreachable],
  IntervalSeconds: 5,
  MaxAttempts: 2,
  BackoffRate: 2,
};
const LAMBDA_RETRY: Retrier = {
  ErrorEquals: LAMBDA_TRANSIENT,
  IntervalSeconds: 2,
  MaxAttempts: 2,
  BackoffRate: 2,
};
const EVENTS_RETRY: Retrier = {
  ErrorEquals: ['EventBridge.InternalException', 'EventBridge.ThrottlingException', 'States.Timeout'],
  IntervalSeconds: 2,
  MaxAttempts: 2,
  BackoffRate: 2,
};

/**
 * The machine every watched ECR push starts (its input is the EventBridge event): verify the
 * image once per event, announce the decision, and promote a verified image to the next
 * environment when the promotion map and the policies allow. Everything that decides lives in
 * the two functions; the machine only routes and announces, so the console shows each step.
 */
export function compileVerifyImage(): StateMachineDefinition {
  const states: [string, State][] = [
    [
      'Verify pushed image',
      {
        ...invoke('verifyImage', { 'event.$': '$', 'execution.$': '$$.Execution.Id' }, [
          'outcome',
          'detail',
          'promote',
        ]),
        ResultPath: '$.verification',
        Catch: [
          {
            ErrorEquals: [ERROR_NAMES.registryUnreachable],
            ResultPath: '$.failure',
            Next: 'Announce unverifiable image',
          },
        ],
        Next: 'Route verification',
      },
    ],
    [
      'Route verification',
      {
        Type: 'Choice',
        Choices: [
          { Variable: '$.verification.outcome', StringEquals: 'verified', Next: 'Announce verified image' },
          { Variable: '$.verification.outcome', StringEquals: 'rejected', Next: 'Announce rejected image' },
          { Variable: '$.verification.outcome', StringEquals: 'duplicate', Next: 'Already verified' },
        ],
        Default: 'Not a push to verify',
      },
    ],
    [
      'Already verified',
      { Type: 'Succeed', Comment: 'The same event was delivered before; that execution decides.' },
    ],
    [
      'Not a push to verify',
      { Type: 'Succeed', Comment: 'Another detail type, a DELETE, or a failed push.' },
    ],
    [
      'Announce verified image',
      announce(IMAGE_EVENTS.verified, '$.verification.detail', 'Promotion allowed?'),
    ],
    [
      'Promotion allowed?',
      {
        Type: 'Choice',
        Choices: [{ Variable: '$.verification.promote', BooleanEquals: true, Next: 'Promote image' }],
        Default: 'Verified',
      },
    ],
    ['Verified', { Type: 'Succeed' }],
    [
      'Promote image',
      {
        ...invoke(
          'promoteImage',
          {
            'image.$': '$.verification.detail.image',
            'digest.$': '$.verification.detail.digest',
            'eventId.$': '$.verification.detail.eventId',
            'execution.$': '$$.Execution.Id',
          },
          ['outcome', 'detail'],
        ),
        ResultPath: '$.promotion',
        Catch: [
          {
            ErrorEquals: [ERROR_NAMES.registryUnreachable],
            ResultPath: '$.failure',
            Next: 'Announce failed promotion',
          },
        ],
        Next: 'Route promotion',
      },
    ],
    [
      'Route promotion',
      {
        Type: 'Choice',
        Choices: [{ Variable: '$.promotion.outcome', StringEquals: 'promoted', Next: 'Announce promotion' }],
        Default: 'Announce blocked promotion',
      },
    ],
    ['Announce promotion', announce(IMAGE_EVENTS.promoted, '$.promotion.detail', 'Promoted')],
    ['Promoted', { Type: 'Succeed' }],
    [
      'Announce blocked promotion',
      announce(IMAGE_EVENTS.promotionBlocked, '$.promotion.detail', 'Verified, promotion blocked'),
    ],
    ['Verified, promotion blocked', { Type: 'Succeed' }],
    ['Announce rejected image', announce(IMAGE_EVENTS.rejected, '$.verification.detail', 'Image rejected')],
    [
      'Image rejected',
      {
        Type: 'Fail',
        Error: ERROR_NAMES.imageRejected,
        Cause: 'the image failed verification: the MC Image Rejected event and the evidence give the reasons',
      },
    ],
    [
      'Announce unverifiable image',
      announce(
        IMAGE_EVENTS.rejected,
        {
          'eventId.$': '$.id',
          'repository.$': '$.detail.repository-name',
          'digest.$': '$.detail.image-digest',
          verdict: 'rejected',
          reasons: [{ code: 'MC-IMAGE-UNVERIFIABLE', 'message.$': '$.failure.Cause' }],
        },
        'Verification failed',
      ),
    ],
    ['Verification failed', { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' }],
    [
      'Announce failed promotion',
      announce(
        IMAGE_EVENTS.promotionFailed,
        {
          'image.$': '$.verification.detail.image',
          'digest.$': '$.verification.detail.digest',
          'to.$': '$.verification.detail.promotion.to',
          code: 'MC-PROMOTE-UNREACHABLE',
          'reason.$': '$.failure.Cause',
        },
        'Promotion failed',
      ),
    ],
    ['Promotion failed', { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' }],
  ];
  return {
    Comment:
      'Maestro Conductor verify-image: verify each pushed image once, announce the decision, promote what passes',
    ...assemble('Verify pushed image', states, 900),
  };
}

// The optimized Lambda integration; the fields of the function's answer (it always gives each) are
// kept, without the invocation's metadata.
function invoke(
  fn: ImageFunction,
  payload: { readonly [key: string]: Json },
  fields: readonly string[],
): TaskState {
  return {
    Type: 'Task',
    Resource: RESOURCES.lambdaInvoke,
    Parameters: { FunctionName: IMAGE_FUNCTIONS[fn], Payload: payload },
    ResultSelector: Object.fromEntries(fields.map((f) => [`${f}.$`, `$.Payload.${f}`])),
    TimeoutSeconds: 300,
    Retry: [REGISTRY_RETRY, LAMBDA_RETRY],
  };
}

function announce(
  detailType: string,
  detail: string | { readonly [key: string]: Json },
  next: string,
): TaskState {
  return {
    Type: 'Task',
    Resource: PUT_EVENTS,
    Parameters: {
      Entries: [
        {
          Source: EVENT_SOURCE,
          DetailType: detailType,
          ...(typeof detail === 'string' ? { 'Detail.$': detail } : { Detail: detail }),
        },
      ],
    },
    ResultPath: null,
    Retry: [EVENTS_RETRY],
    Next: next,
  };
}
