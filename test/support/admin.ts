/** The admin app's bundle, built once before the tests that load it (skipped when its sources have not changed). */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/shared/paths.js';

let built = false;

export function ensureAdminBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(projectRoot, 'scripts', 'build-admin.mjs'), '--quiet'], { stdio: 'inherit', cwd: projectRoot });
  built = true;
}
