import schema from '../../schema/freeze-windows.json' with { type: 'json' };
import { type DocumentKind, parseDocument, readDocument } from '../documents/index.js';
import type { EnvName } from '../plan/index.js';
import { ImageError } from './errors.js';

export const SHIPPED_FREEZE_WINDOWS = 'policy/freeze-windows.yaml';

export interface FreezeWindow {
  readonly name: string;
  readonly reason?: string;
  readonly from: string;
  readonly to: string;
  readonly applies_to: readonly EnvName[];
}

export interface FreezeWindows {
  readonly file: string;
  readonly windows: readonly FreezeWindow[];
}

const FREEZE_WINDOWS: DocumentKind = {
  what: 'freeze windows',
  kind: 'FreezeWindows',
  schema,
  shipped: SHIPPED_FREEZE_WINDOWS,
  fail: (message) => new ImageError('BAD_POLICY_FILE', message),
};

/** A freeze-windows file, or the shipped one (MC_FREEZE_WINDOWS names another). */
export function loadFreezeWindows(path?: string, cwd: string = process.cwd()): FreezeWindows {
  const file = readDocument(FREEZE_WINDOWS, path, cwd);
  return parseFreezeWindows(file.text, file.display);
}

export function parseFreezeWindows(text: string, file: string): FreezeWindows {
  return checked(parseDocument<{ windows: FreezeWindow[] }>(FREEZE_WINDOWS, text, file).windows, file);
}

function checked(windows: readonly FreezeWindow[], file: string): FreezeWindows {
  for (const w of windows)
    if (!(Date.parse(w.from) < Date.parse(w.to)))
      throw new ImageError(
        'BAD_POLICY_FILE',
        `${file}: window ${w.name} ends (${w.to}) before it starts (${w.from})`,
      );
  return { file, windows };
}

/** The window that freezes promotion into `env` at `now` (from inclusive, to exclusive), if any. */
export function activeFreeze(windows: FreezeWindows, env: EnvName, now: Date): FreezeWindow | undefined {
  const at = now.getTime();
  return windows.windows.find(
    (w) => w.applies_to.includes(env) && Date.parse(w.from) <= at && at < Date.parse(w.to),
  );
}
