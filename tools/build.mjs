// `npm run build` (and `npm install`, through "prepare"): compile src/ and runtime/ to plain
// JavaScript in dist/ with tsc, copy the grammar recipes next to the compiled parser, and
// stamp the build. bin/pymem runs dist/ when the stamp is newer than every source file and
// falls back to running the TypeScript through tsx otherwise, so a stale build is never used.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
const parserOut = join(root, 'dist', 'src', 'parser');
mkdirSync(parserOut, { recursive: true });
for (const f of readdirSync(join(root, 'src', 'parser'))) {
  if (f.endsWith('.json')) copyFileSync(join(root, 'src', 'parser', f), join(parserOut, f));
}
writeFileSync(join(root, 'dist', '.stamp'), new Date().toISOString() + '\n');
