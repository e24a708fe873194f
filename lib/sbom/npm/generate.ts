import { Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { buildNpmBom, type NpmSbomOptions } from './bom.js';
import { readNpmProject } from './project.js';

/** A generated SBOM: the JSON text, the same document parsed, and how many components it lists. */
export interface GeneratedSbom {
  readonly json: string;
  readonly bom: Serialize.JSON.Types.Normalized.Bom;
  readonly components: number;
}

const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));

/**
 * A CycloneDX 1.6 JSON SBOM of the npm project in `dir`, from its package.json and
 * package-lock.json (lockfileVersion 2 or 3). Lists are sorted, so the same lockfile with the same
 * `now` and `serialNumber` gives the same text. Without a lockfile: SbomError `NO_LOCKFILE`.
 */
export function generateNpmSbom(dir: string, options: NpmSbomOptions = {}): GeneratedSbom {
  const model = buildNpmBom(readNpmProject(dir), dir, options);
  const json = serializer.serialize(model, { sortLists: true, space: 2 });
  return {
    json,
    bom: JSON.parse(json) as Serialize.JSON.Types.Normalized.Bom,
    components: model.components.size,
  };
}
