import { type Json, obj, str } from '../private/json.js';

/** One entry of package-lock.json's `packages` map (lockfileVersion 2 and 3), as mc reads it. */
export interface LockPackage {
  readonly name?: string;
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly license?: string;
  readonly dev?: boolean;
  readonly link?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

/** An npm project as its manifest and lockfile describe it; `packages` is keyed by install location. */
export interface NpmProject {
  /** package.json (or, without one, the lock's root entry). */
  readonly manifest: Json;
  /** `""` is the project itself; `node_modules/a/node_modules/b` is b installed under a. */
  readonly packages: ReadonlyMap<string, LockPackage>;
}

/** A package npm installed, with the install locations of the packages it resolves. */
export interface InstalledPackage {
  readonly location: string;
  /** The package's own name (an alias's target, not the alias), scope included. */
  readonly name: string;
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly license?: string;
  readonly dependsOn: readonly string[];
}

/** The installed packages of a project and the locations the project itself depends on. */
export interface InstalledTree {
  readonly direct: readonly string[];
  readonly packages: readonly InstalledPackage[];
}

/** Walks the lock: every installed package (dev ones only when asked) and what each resolves to. */
export function installedTree(project: NpmProject, includeDev: boolean): InstalledTree {
  const { packages } = project;
  const kept = new Set<string>();
  for (const [location, entry] of packages) {
    if (!isInstalled(location)) continue;
    const target = linkTarget(packages, location, entry);
    if (includeDev || !(entry.dev || target.entry.dev)) kept.add(location);
  }
  const resolveAll = (from: string, names: Iterable<string>) =>
    [...new Set(names)]
      .map((name) => resolveDependency(packages, from, name))
      .filter((at): at is string => at !== undefined && kept.has(at));

  const installed = [...kept].map((location): InstalledPackage => {
    const link = packages.get(location) as LockPackage;
    const { entry, location: home } = linkTarget(packages, location, link);
    return {
      location,
      name: entry.name ?? link.name ?? nameAt(location),
      ...(entry.version ? { version: entry.version } : {}),
      ...(link.link ? {} : entry.resolved ? { resolved: entry.resolved } : {}),
      ...(entry.integrity ? { integrity: entry.integrity } : {}),
      ...(entry.license ? { license: entry.license } : {}),
      // A workspace (the target of a link) installs its devDependencies too.
      dependsOn: resolveAll(home, dependencyNames(entry, includeDev && home !== location)).filter(
        (at) => at !== location,
      ),
    };
  });
  // npm counts workspaces (links to folders inside the project) as dependencies of the project.
  const workspaces = [...kept].filter((location) => isWorkspaceLink(packages.get(location) as LockPackage));
  const direct = new Set([...resolveAll('', dependencyNames(rootEntry(project), includeDev)), ...workspaces]);
  return { direct: [...direct], packages: installed };
}

/**
 * Where npm finds `name` when required from the package at `from`: its own node_modules, then each
 * enclosing node_modules up to the project's.
 */
export function resolveDependency(
  packages: ReadonlyMap<string, LockPackage>,
  from: string,
  name: string,
): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages.has(candidate)) return candidate;
    if (base === '') return undefined;
    base = parentLocation(base);
  }
}

function parentLocation(location: string): string {
  const nested = location.lastIndexOf('/node_modules/');
  if (nested >= 0) return location.slice(0, nested);
  if (location.startsWith('node_modules/')) return '';
  const slash = location.lastIndexOf('/');
  return slash >= 0 ? location.slice(0, slash) : '';
}

const isInstalled = (location: string) =>
  location.startsWith('node_modules/') || location.includes('/node_modules/');

// The name a location installs: what follows its last `node_modules/` (`@scope/name` or `name`).
function nameAt(location: string): string {
  return location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

// A link (a workspace, `file:` dependency) points at the folder whose entry holds the package.
function linkTarget(
  packages: ReadonlyMap<string, LockPackage>,
  location: string,
  entry: LockPackage,
): { entry: LockPackage; location: string } {
  const target = entry.link && entry.resolved !== undefined ? packages.get(entry.resolved) : undefined;
  return target && entry.resolved !== undefined
    ? { entry: target, location: entry.resolved }
    : { entry, location };
}

function isWorkspaceLink(entry: LockPackage): boolean {
  const target = entry.resolved ?? '';
  return !!entry.link && target !== '' && !target.startsWith('..') && !isInstalled(target);
}

function rootEntry(project: NpmProject): LockPackage {
  const m = project.manifest;
  return {
    dependencies: record(m.dependencies),
    optionalDependencies: record(m.optionalDependencies),
    peerDependencies: record(m.peerDependencies),
    devDependencies: record(m.devDependencies),
  };
}

function dependencyNames(entry: LockPackage, withDev: boolean): string[] {
  return [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}),
    ...Object.keys(entry.peerDependencies ?? {}),
    ...(withDev ? Object.keys(entry.devDependencies ?? {}) : []),
  ];
}

/** A lock entry from raw JSON, keeping only fields of the right type. */
export function lockPackage(raw: unknown): LockPackage {
  const e = obj(raw);
  const text = (key: string) => (str(e[key]) ? { [key]: str(e[key]) } : {});
  const deps = (key: string) => (e[key] === undefined ? {} : { [key]: record(e[key]) });
  return {
    ...text('name'),
    ...text('version'),
    ...text('resolved'),
    ...text('integrity'),
    ...text('license'),
    ...(e.dev === true ? { dev: true } : {}),
    ...(e.link === true ? { link: true } : {}),
    ...deps('dependencies'),
    ...deps('optionalDependencies'),
    ...deps('peerDependencies'),
    ...deps('devDependencies'),
  };
}

function record(v: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(obj(v)).filter((kv): kv is [string, string] => typeof kv[1] === 'string'),
  );
}
