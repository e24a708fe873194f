/** What a SLSA provenance statement says about who built it from what. */
export interface ProvenanceFacts {
  readonly predicateType?: string;
  readonly builder?: string;
  /** The source repositories it names: externalParameters.source, and `git+<uri>@<ref>` dependencies. */
  readonly sources: readonly string[];
}

export function provenanceFacts(statement: unknown): ProvenanceFacts {
  const s = statement as {
    predicateType?: string;
    predicate?: {
      runDetails?: { builder?: { id?: string } };
      buildDefinition?: {
        externalParameters?: { source?: { repository?: string } };
        resolvedDependencies?: { uri?: string }[];
      };
    };
  };
  const build = s.predicate?.buildDefinition;
  const sources = [
    build?.externalParameters?.source?.repository,
    // Exactly the repository: `git+<uri>@<ref>` names <uri>, nothing longer.
    ...(build?.resolvedDependencies ?? []).map((d) => /^git\+(.*?)(?:@[^@]*)?$/.exec(d.uri ?? '')?.[1]),
  ].filter((x): x is string => Boolean(x));
  return {
    ...(s.predicateType ? { predicateType: s.predicateType } : {}),
    ...(s.predicate?.runDetails?.builder?.id ? { builder: s.predicate.runDetails.builder.id } : {}),
    sources,
  };
}
