// The eval loop's inline caches and fast paths (runtime/vm/ceval.ts, specialize.ts) against
// CPython 3.11's output (tests/fixtures/vm_caches/*.py, recorded by gen_expected.sh there), each
// followed by the interpreter's leak check (allocated blocks back to the baseline).
import { describeFixturePrograms } from '../../../fixture_programs.js';

describeFixturePrograms('eval-loop caches and fast paths vs CPython 3.11', 'vm_caches', 'caches_');
