// Entry of a parsing worker thread: workers do not inherit the main thread's TypeScript loader,
// so this plain module registers tsx before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
