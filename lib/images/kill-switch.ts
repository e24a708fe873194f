/**
 * The promotion kill switch: `MC_PROMOTE=false` (also 0, no, off) stops every promotion. Locally
 * it is the environment variable; on AWS an SSM parameter holds the value. Anything else,
 * including no value, leaves promotion on.
 */
export function promotionSwitch(value: string | undefined, source: string): string | undefined {
  if (value === undefined || !/^(false|0|no|off)$/i.test(value.trim())) return undefined;
  return `promotion is switched off (MC_PROMOTE=${value.trim()}, ${source}): no image is promoted until it is switched back on`;
}
