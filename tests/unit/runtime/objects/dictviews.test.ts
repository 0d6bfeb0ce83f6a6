// dict views (keys/items set operations incl. the reflected forms, set comparisons, isdisjoint,
// hash, repr, `in`) and dict merge operators: end-to-end programs (tests/fixtures/dictviews/*.py)
// against CPython 3.11's stdout, each followed by the interpreter's leak check.
import { describeFixturePrograms } from '../../../fixture_programs.js';

describeFixturePrograms('dict view programs vs CPython 3.11', 'dictviews', 'dictviews_');
