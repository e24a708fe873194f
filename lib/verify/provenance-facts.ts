/** What a SLSA provenance statement says about who built it from what. */
export interface ProvenanceFacts {
  readonly predicateType?: string;
  readonly builder?: string;
  /** The source repositories it names: externalParameters.source, and `git+<uri>@<ref>` dependencies. */
  readonly sources: readonly string[];
}

export function provenanceFacts(statement: unknown): ProvenanceFacts {
  const s = statement as {
    predicateType?: unknown;
    predicate?: {
      runDetails?: { builder?: { id?: unknown } };
      buildDefinition?: {
        externalParameters?: { source?: { repository?: unknown } };
        resolvedDependencies?: unknown;
      };
    };
  } | null;
  // A signed statement may still be malformed: what is not of the expected shape says nothing.
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const build = s?.predicate?.buildDefinition;
  const dependencies = Array.isArray(build?.resolvedDependencies) ? build.resolvedDependencies : [];
  const sources = [
    text(build?.externalParameters?.source?.repository),
    // Exactly the repository: `git+<uri>@<ref>` names <uri>, nothing longer.
    ...dependencies.map(
      (d: { uri?: unknown } | null) => /^git\+(.*?)(?:@[^@]*)?$/.exec(text(d?.uri) ?? '')?.[1],
    ),
  ].filter((x): x is string => Boolean(x));
  const predicateType = text(s?.predicateType);
  const builder = text(s?.predicate?.runDetails?.builder?.id);
  return {
    ...(predicateType ? { predicateType } : {}),
    ...(builder ? { builder } : {}),
    sources,
  };
}
