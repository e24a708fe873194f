import { arr, type Json, obj, str } from '../private/json.js';
import type { SbomComponent } from '../sbom.js';

/** The subject and the flattened components of a CycloneDX document; reads, never validates. */
export function normalizeCycloneDx(root: Json): { subject?: SbomComponent; components: SbomComponent[] } {
  const metadataComponent = root.metadata === undefined ? undefined : obj(root.metadata).component;
  const components: SbomComponent[] = [];
  // An explicit stack, not recursion: deep or wide trees (10,000+ components) stay cheap.
  const stack = [...arr(root.components), ...arr(obj(metadataComponent).components)].reverse();
  while (stack.length > 0) {
    const node = obj(stack.pop());
    components.push(component(node));
    const children = arr(node.components);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  if (metadataComponent === undefined) return { components };
  const { digest: _, ...subject } = component(obj(metadataComponent));
  return { subject, components };
}

function component(c: Json): SbomComponent {
  const purl = str(c.purl);
  const version = str(c.version);
  const sha256 = arr(c.hashes)
    .map(obj)
    .find((h) => h.alg === 'SHA-256' && str(h.content));
  return {
    name: fullName(c, purl),
    ...(version ? { version } : {}),
    ...(purl ? { purl } : {}),
    ...(sha256 ? { digest: `sha256:${String(sha256.content).toLowerCase()}` } : {}),
  };
}

// CycloneDX keeps an npm scope in `group`; the gate and npm itself know the package as `@scope/name`.
function fullName(c: Json, purl: string | undefined): string {
  const name = str(c.name) ?? 'unknown';
  const group = str(c.group);
  if (!group || !purl?.startsWith('pkg:npm/') || name.startsWith('@')) return name;
  return `${group.startsWith('@') ? group : `@${group}`}/${name}`;
}
