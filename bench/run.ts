// Benchmark dispatcher: `npm run bench -- NAME [ARGS...]` runs bench/NAME.bench.ts, which
// exports `main(args: string[])`. With no NAME it lists the benchmarks.
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (name === undefined || !available.includes(name)) {
  if (name !== undefined) console.error(`no benchmark named ${JSON.stringify(name)}`);
  console.error(`usage: npm run bench -- NAME [ARGS...]   (NAME: ${available.join(', ') || 'none yet'})`);
  process.exit(name === undefined ? 0 : 2);
}
const file = join(dir, `${name}.bench.ts`);
if (!existsSync(file)) process.exit(2);
const mod = (await import(pathToFileURL(file).href)) as { main?: (args: string[]) => unknown };
if (typeof mod.main !== 'function') {
  console.error(`${file} does not export main(args)`);
  process.exit(2);
}
await mod.main(args);
