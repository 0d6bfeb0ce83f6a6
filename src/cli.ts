// Entry of the `pymem` command from the TypeScript sources (bin/pymem's tsx fallback) and from
// dist/src/cli.js; the logic is in cli_main.ts (the compiled build enters through bundle.ts).
import { runCli } from './cli_main.js';

runCli(process.argv.slice(2));
