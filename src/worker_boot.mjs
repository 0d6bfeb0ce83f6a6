// Entry of the interpreter thread: the TypeScript loader has to be registered in each thread.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
