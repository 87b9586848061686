// A browser benchmark measures the production build the server serves from dist/. If any
// source the build reads is newer than dist/, the figures would be those of old code: build
// first (what `npm run build` does), and say so.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../..');
const SOURCES = ['client', 'shared', 'vite.config.ts', 'package-lock.json'];
const BUILT = path.join(REPO, 'dist', 'sw.js'); // written last of all, by vite-plugin-pwa

function newestMtime(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(file) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

/** Whether a source the build reads is newer than dist/ (or there is no build). */
export function distIsStale(): boolean {
  const built = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
  return Math.max(...SOURCES.map((s) => newestMtime(path.join(REPO, s)))) >= built;
}

/** Builds unless dist/ is newer than every source; `force` builds anyway, `skip` never does. */
export function ensureBuild(options: { readonly force?: boolean; readonly skip?: boolean } = {}): void {
  if (options.skip) {
    if (!existsSync(BUILT)) throw new Error('There is no build in dist/. Run `npm run build` first.');
    return;
  }
  if (!options.force && !distIsStale()) return;
  console.log(
    existsSync(BUILT)
      ? 'dist/ is older than the sources: building (npm run build) …'
      : 'Building (npm run build) …',
  );
  const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(
      `The build failed, so there is nothing current to measure:\n${result.stdout}\n${result.stderr}`,
    );
  }
}
