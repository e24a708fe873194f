/**
 * The node a caught run failure names. Our stage runner and action function fail with a Cause
 * that is JSON `{"node": …, "message": …}` (a Lambda wraps it in `errorMessage`); a failed
 * CodeBuild build's Cause is the Build, whose MC_NODE_ID variable names the node.
 */
export function failedNodeOf(failure: { Error?: string; Cause?: string }): string | undefined {
  return failedNodesOf(failure)[0];
}

/**
 * The nodes a caught run failure may name: the node itself, or for a fused build (MC_NODES) its
 * members in order; the one that failed is the first of them that did not succeed.
 */
export function failedNodesOf(failure: { Error?: string; Cause?: string }): string[] {
  const parsed = parse(failure.Cause);
  if (!parsed) return [];
  if (typeof parsed.node === 'string') return [parsed.node];
  if (typeof parsed.errorMessage === 'string') return failedNodesOf({ Cause: parsed.errorMessage });
  const variables = (
    parsed.Build as { environment?: { environmentVariables?: { name: string; value: string }[] } } | undefined
  )?.environment?.environmentVariables;
  const members = variables?.find((v) => v.name === 'MC_NODES')?.value;
  if (members) {
    try {
      const ids: unknown = JSON.parse(members);
      if (Array.isArray(ids) && ids.every((id) => typeof id === 'string')) return ids;
    } catch {
      // Not ours: fall back to MC_NODE_ID.
    }
  }
  const node = variables?.find((v) => v.name === 'MC_NODE_ID')?.value;
  return node ? [node] : [];
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
