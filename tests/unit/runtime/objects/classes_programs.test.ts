// End-to-end class programs (tests/fixtures/classes/*.py) against CPython 3.11's stdout, each
// followed by the interpreter's leak check (allocated blocks back to the baseline).
import { describeFixturePrograms } from '../../../fixture_programs.js';

describeFixturePrograms('class programs vs CPython 3.11', 'classes', 'classes_');
