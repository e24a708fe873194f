/** The text of lib/pipeline/types.generated.ts as the schema dictates it today. */
export function generate(): Promise<string>;
