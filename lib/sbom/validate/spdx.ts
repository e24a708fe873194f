import { arr, isObject, type Json, obj } from '../private/json.js';
import { pathSegment } from './json-path.js';

const CREATED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const CREATOR = /^(Person|Organization|Tool):\s*\S/;
const SPDX_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;

/**
 * The fields SPDX 2.3 requires of a JSON document and of each package, checked by hand (no schema
 * ships for SPDX); every problem is collected, each with its JSON path.
 */
export function spdxErrors(root: Json): string[] {
  const errors: string[] = [];
  const expect = (ok: boolean, path: string, what: string, value: unknown) => {
    if (!ok)
      errors.push(`${path}: must be ${what}${value === undefined ? ' (missing)' : `, got ${show(value)}`}`);
  };
  expect(root.spdxVersion === 'SPDX-2.3', '$.spdxVersion', '"SPDX-2.3"', root.spdxVersion);
  expect(root.dataLicense === 'CC0-1.0', '$.dataLicense', '"CC0-1.0"', root.dataLicense);
  expect(root.SPDXID === 'SPDXRef-DOCUMENT', '$.SPDXID', '"SPDXRef-DOCUMENT"', root.SPDXID);
  expect(nonEmpty(root.name), '$.name', 'a non-empty string', root.name);
  expect(
    isNamespace(root.documentNamespace),
    '$.documentNamespace',
    'an absolute URI without "#"',
    root.documentNamespace,
  );

  expect(isObject(root.creationInfo), '$.creationInfo', 'an object', root.creationInfo);
  const info = obj(root.creationInfo);
  if (isObject(root.creationInfo)) {
    expect(
      typeof info.created === 'string' && CREATED.test(info.created),
      '$.creationInfo.created',
      'a UTC date-time YYYY-MM-DDThh:mm:ssZ',
      info.created,
    );
    const creators = info.creators;
    expect(
      Array.isArray(creators) && creators.length > 0,
      '$.creationInfo.creators',
      'a non-empty array',
      creators,
    );
    arr(creators).forEach((c, i) => {
      expect(
        typeof c === 'string' && CREATOR.test(c),
        `$.creationInfo.creators${pathSegment(i)}`,
        '"Person: …", "Organization: …" or "Tool: …"',
        c,
      );
    });
  }

  if (root.packages !== undefined)
    expect(Array.isArray(root.packages), '$.packages', 'an array', root.packages);
  const ids = new Map<string, string>();
  arr(root.packages).forEach((p, i) => {
    const at = `$.packages${pathSegment(i)}`;
    if (!isObject(p)) {
      expect(false, at, 'an object', p);
      return;
    }
    expect(nonEmpty(p.name), `${at}.name`, 'a non-empty string', p.name);
    expect(typeof p.SPDXID === 'string' && SPDX_ID.test(p.SPDXID), `${at}.SPDXID`, 'SPDXRef-<id>', p.SPDXID);
    expect(
      nonEmpty(p.downloadLocation),
      `${at}.downloadLocation`,
      'a URL, "NONE" or "NOASSERTION"',
      p.downloadLocation,
    );
    if (typeof p.SPDXID === 'string') {
      const first = ids.get(p.SPDXID);
      if (first) errors.push(`${at}.SPDXID: "${p.SPDXID}" is already the SPDXID of ${first}`);
      else ids.set(p.SPDXID, at);
    }
  });
  return errors;
}

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

function isNamespace(v: unknown): boolean {
  if (typeof v !== 'string' || v.includes('#')) return false;
  return URL.canParse(v);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
