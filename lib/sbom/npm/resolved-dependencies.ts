import { npmPurl, tryHash } from './component.js';
import { installedTree } from './lockfile.js';
import { readNpmProject } from './project.js';

/**
 * The packages an npm project installs (dev ones too: a build uses them), as SLSA
 * resolvedDependencies: the purl the SBOM gives them and their lockfile integrity as in-toto
 * digests (`sha512`: hex).
 */
export function npmResolvedDependencies(dir: string): { uri: string; digest: Record<string, string> }[] {
  const seen = new Set<string>();
  const dependencies: { uri: string; digest: Record<string, string> }[] = [];
  for (const pkg of installedTree(readNpmProject(dir), true).packages) {
    const uri = npmPurl(pkg);
    const digest = Object.fromEntries(
      (pkg.integrity ?? '')
        .split(/\s+/)
        .map((sri) => tryHash(sri))
        .filter((hash) => hash !== undefined)
        .map(([algorithm, hex]) => [algorithm.toLowerCase().replace('-', ''), hex]),
    );
    if (!uri || !Object.keys(digest).length || seen.has(uri)) continue;
    seen.add(uri);
    dependencies.push({ uri, digest });
  }
  return dependencies.sort((a, b) => (a.uri < b.uri ? -1 : 1));
}
