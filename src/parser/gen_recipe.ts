// `npm run gen`: compile grammar/python.ohm and grammar/python_tok.ohm once and write their Ohm
// recipes to src/parser/python.recipe.json and python_tok.recipe.json (committed). Loading a
// recipe costs a few ms; building a grammar from .ohm source costs ~400 ms per process
// (bench/parse.bench.ts measures both).
import * as ohm from 'ohm-js';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
for (const name of ['python', 'python_tok']) {
  const grammarPath = join(here, '..', '..', 'grammar', `${name}.ohm`);
  const out = join(here, `${name}.recipe.json`);
  const g = ohm.grammar(readFileSync(grammarPath, 'utf8'));
  // The recipe is JSON; re-serialize it so the committed file is stable and parseable as JSON.
  const recipe = JSON.parse((g as unknown as { toRecipe(): string }).toRecipe());
  writeFileSync(out, JSON.stringify(recipe) + '\n');
  console.log(`wrote ${out}`);
}
