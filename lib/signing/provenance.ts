import { createHash } from 'node:crypto';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** How mc builds, as SLSA's buildType names it. */
export const MC_BUILD_TYPE = 'https://maestro.dev/mc/build/v1';
/** The builder of a local run (a developer's machine: SLSA Build L1 at most). */
export const LOCAL_BUILDER_ID = 'https://maestro.dev/mc/builder/local@v1';

export interface ProvenanceSubject {
  readonly name: string;
  readonly sha256: string;
}

/** What is known about the build; whatever is unknown is left out, never invented. */
export interface ProvenanceFacts {
  readonly builderId?: string;
  readonly pipeline?: { readonly name: string; readonly text: string };
  readonly source?: { readonly repository?: string; readonly commit?: string; readonly ref?: string };
  readonly env?: string;
  readonly run?: { readonly id: string; readonly startedOn?: string; readonly finishedOn?: string };
  /** Resolved dependencies, e.g. from a lockfile: purl and digest. */
  readonly dependencies?: readonly { readonly uri: string; readonly digest: Record<string, string> }[];
}

/** An in-toto Statement v1 with a SLSA Provenance v1 predicate. */
export function provenanceStatement(subjects: readonly ProvenanceSubject[], facts: ProvenanceFacts): object {
  const externalParameters: Record<string, unknown> = {};
  if (facts.pipeline)
    externalParameters.pipeline = {
      name: facts.pipeline.name,
      digest: { sha256: createHash('sha256').update(facts.pipeline.text).digest('hex') },
    };
  const repository = facts.source?.repository ? repositoryUri(facts.source.repository) : undefined;
  if (facts.source && (repository || facts.source.commit))
    externalParameters.source = stripEmpty({ ...facts.source, repository });
  if (facts.env) externalParameters.env = facts.env;
  const resolvedDependencies = [
    ...(repository && facts.source?.commit
      ? [
          {
            uri: `git+${repository}${facts.source.ref ? `@${facts.source.ref}` : ''}`,
            digest: { gitCommit: facts.source.commit },
          },
        ]
      : []),
    ...(facts.dependencies ?? []),
  ];
  return {
    _type: STATEMENT_TYPE,
    subject: subjects.map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })),
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: MC_BUILD_TYPE,
        externalParameters,
        ...(resolvedDependencies.length ? { resolvedDependencies } : {}),
      },
      runDetails: {
        builder: { id: facts.builderId ?? LOCAL_BUILDER_ID },
        ...(facts.run
          ? {
              metadata: stripEmpty({
                invocationId: facts.run.id,
                startedOn: facts.run.startedOn,
                finishedOn: facts.run.finishedOn,
              }),
            }
          : {}),
      },
    },
  };
}

// `owner/name` (GitHub's form) → its URL; URIs stay as they are.
function repositoryUri(repository: string): string {
  return /^[\w.-]+\/[\w.-]+$/.test(repository) ? `https://github.com/${repository}` : repository;
}

function stripEmpty<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<T>;
}
