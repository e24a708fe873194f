import { basename } from 'node:path';
import { Contrib, Enums, Models } from '@cyclonedx/cyclonedx-library';
import { str } from '../private/json.js';
import { npmComponent } from './component.js';
import { installedTree, type NpmProject } from './lockfile.js';

// Replaced by the build (scripts/build.mjs) with the package version; absent in tests and tsx.
declare const MC_VERSION: string | undefined;

/** Options of {@link generateNpmSbom}. */
export interface NpmSbomOptions {
  /**
   * List the packages only devDependencies need (package-lock `dev: true`).
   * @default false
   */
  readonly includeDev?: boolean;
  /**
   * The SBOM's `metadata.timestamp`.
   * @default the current time
   */
  readonly now?: Date;
  /**
   * The SBOM's `serialNumber` (`urn:uuid:…`); with `now`, makes the output reproducible.
   * @default a random one
   */
  readonly serialNumber?: string;
}

/**
 * The CycloneDX model of an npm project: the project as `metadata.component`, every installed
 * package as a library component (one per purl), and who depends on whom as npm resolves it.
 */
export function buildNpmBom(project: NpmProject, dir: string, options: NpmSbomOptions = {}): Models.Bom {
  const tree = installedTree(project, options.includeDev ?? false);
  const manifestName = str(project.manifest.name) ?? basename(dir);
  const root = npmComponent(Enums.ComponentType.Application, {
    name: manifestName,
    version: str(project.manifest.version),
    license: str(project.manifest.license),
  });

  // The same name@version installed at two locations is one component with the union of its edges.
  const byPurl = new Map<string, Models.Component>();
  const atLocation = new Map<string, Models.Component>();
  for (const pkg of tree.packages) {
    const component = npmComponent(Enums.ComponentType.Library, pkg);
    const key = component.bomRef.value ?? pkg.location;
    const known = byPurl.get(key) ?? component;
    byPurl.set(key, known);
    atLocation.set(pkg.location, known);
  }
  for (const pkg of tree.packages) {
    const from = atLocation.get(pkg.location) as Models.Component;
    for (const to of pkg.dependsOn) {
      const target = atLocation.get(to);
      if (target && target !== from) from.dependencies.add(target.bomRef);
    }
  }
  for (const to of tree.direct) {
    const target = atLocation.get(to);
    if (target) root.dependencies.add(target.bomRef);
  }

  const bom = new Models.Bom({
    serialNumber: options.serialNumber ?? Contrib.Bom.Utils.randomSerialNumber(),
  });
  bom.metadata.timestamp = options.now ?? new Date();
  bom.metadata.component = root;
  bom.metadata.tools.tools.add(
    new Models.Tool({
      vendor: 'Maestro Conductor',
      name: 'mc',
      ...(typeof MC_VERSION === 'string' ? { version: MC_VERSION } : {}),
    }),
  );
  for (const component of byPurl.values()) bom.components.add(component);
  return bom;
}
