#!/usr/bin/env node
// The `relance` command: loads the TypeScript CLI through tsx (no build step to forget).
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
