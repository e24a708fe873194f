/**
 * The node a caught run failure names. Our stage runner and action function fail with a Cause
 * that is JSON `{"node": …, "message": …}` (a Lambda wraps it in `errorMessage`); a failed
 * CodeBuild build's Cause is the Build, whose MC_NODE_ID variable names the node.
 */
export function failedNodeOf(failure: { Error?: string; Cause?: string }): string | undefined {
  const parsed = parse(failure.Cause);
  if (!parsed) return undefined;
  if (typeof parsed.node === 'string') return parsed.node;
  if (typeof parsed.errorMessage === 'string') return failedNodeOf({ Cause: parsed.errorMessage });
  const variables = (
    parsed.Build as { environment?: { environmentVariables?: { name: string; value: string }[] } } | undefined
  )?.environment?.environmentVariables;
  return variables?.find((v) => v.name === 'MC_NODE_ID')?.value;
}

/** The Cause our runners fail with. */
export function failureCause(node: string, message: string): string {
  return JSON.stringify({ node, message });
}

function parse(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}
