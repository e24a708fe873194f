import * as Spec from '@cyclonedx/cyclonedx-library/Spec';
import * as Validation from '@cyclonedx/cyclonedx-library/Validation';
import { arr, type Json, obj, str } from '../private/json.js';
import type { CycloneDxVersion } from '../sbom.js';
import { pathSegment, pointerToPath } from './json-path.js';

const SPEC_VERSIONS: Record<CycloneDxVersion, Spec.Version> = {
  '1.4': Spec.Version.v1dot4,
  '1.5': Spec.Version.v1dot5,
  '1.6': Spec.Version.v1dot6,
};

// Compiling a CycloneDX schema takes a while; each version is compiled once per process.
const validators = new Map<CycloneDxVersion, Validation.JsonStrictValidator>();

/**
 * Problems of a CycloneDX JSON document: those the official (strict) schema of its version finds,
 * then the references the schema cannot check (unique bom-refs, dependencies naming known refs).
 */
export async function cycloneDxErrors(
  text: string,
  root: Json,
  version: CycloneDxVersion,
): Promise<string[]> {
  let validator = validators.get(version);
  if (!validator) {
    validator = new Validation.JsonStrictValidator(SPEC_VERSIONS[version]);
    validators.set(version, validator);
  }
  const schemaErrors: unknown = await validator.validate(text);
  return [
    ...(schemaErrors === null ? [] : arr(schemaErrors).map(describeSchemaError)),
    ...referenceErrors(root),
  ];
}

// An ajv error object as one line: where, what, and the detail ajv keeps in `params`.
function describeSchemaError(e: unknown): string {
  const error = obj(e);
  const params = obj(error.params);
  const where = pointerToPath(String(error.instancePath ?? ''));
  const message = str(error.message) ?? `fails ${String(error.keyword)}`;
  const detail =
    typeof params.additionalProperty === 'string'
      ? ` ('${params.additionalProperty}')`
      : Array.isArray(params.allowedValues)
        ? ` (allowed: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`
        : '';
  return `${where}: ${message}${detail}`;
}

function referenceErrors(root: Json): string[] {
  const errors: string[] = [];
  const seen = new Map<string, string>();
  const visit = (node: unknown, path: string) => {
    const c = obj(node);
    const ref = str(c['bom-ref']);
    if (ref !== undefined) {
      const first = seen.get(ref);
      if (first) errors.push(`${path}['bom-ref']: "${ref}" is already the bom-ref of ${first}`);
      else seen.set(ref, path);
    }
    arr(c.components).forEach((child, i) => {
      visit(child, `${path}.components${pathSegment(i)}`);
    });
    arr(c.services).forEach((child, i) => {
      visit(child, `${path}.services${pathSegment(i)}`);
    });
  };
  if (root.metadata !== undefined) visit(obj(root.metadata).component, '$.metadata.component');
  arr(root.components).forEach((c, i) => {
    visit(c, `$.components${pathSegment(i)}`);
  });
  arr(root.services).forEach((s, i) => {
    visit(s, `$.services${pathSegment(i)}`);
  });
  arr(root.dependencies).forEach((d, i) => {
    const dependency = obj(d);
    const at = `$.dependencies${pathSegment(i)}`;
    const ref = str(dependency.ref);
    if (ref !== undefined && !seen.has(ref))
      errors.push(`${at}.ref: "${ref}" is not the bom-ref of any component`);
    arr(dependency.dependsOn).forEach((on, j) => {
      if (typeof on === 'string' && !seen.has(on)) {
        errors.push(`${at}.dependsOn${pathSegment(j)}: "${on}" is not the bom-ref of any component`);
      }
    });
  });
  return errors;
}
