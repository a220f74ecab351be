// A worker thread's way into the TypeScript sources: the stack runs them through tsx, whose loader
// a new thread does not inherit, so the thread registers it before importing its entry module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
