/** Where the project lives on disk, for data folders and the toolchain cache. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const workflowsPath = resolve(projectRoot, 'workflows', 'index.ts');
