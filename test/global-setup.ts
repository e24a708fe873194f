import { execFileSync } from 'node:child_process';

// Tests that spawn `mc` run the bundle; build it from the current sources first.
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
