/**
 * GET /console: the agents' and managers' console, plain ES modules from console/ (no build step)
 * and the browser builds of its three libraries from node_modules at fixed URLs. Public: the page
 * holds no data; everything it shows comes from /v1 with the token the person signs in with.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ErrorCode, RelanceError } from '../domain/errors';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** /console/vendor/<name> → the file of the installed package (versions in package-lock.json). */
const VENDOR: Record<string, string> = {
  'preact.module.js': 'node_modules/preact/dist/preact.module.js',
  'hooks.module.js': 'node_modules/preact/hooks/dist/hooks.module.js',
  'htm.module.js': 'node_modules/htm/dist/htm.module.js',
  'chart.umd.min.js': 'node_modules/chart.js/dist/chart.umd.min.js',
};

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** Only flat kebab-case names: nothing outside console/ can be asked for. */
const FILE = /^[a-z0-9-]+\.(html|js|css)$/;

const notFound = (name: string) => new RelanceError(ErrorCode.NotFound, `No console file "${name}"`);

async function sendFile(reply: FastifyReply, path: string, name: string) {
  const type = TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
  const body = await readFile(root(path)).catch(() => {
    throw notFound(name);
  });
  return reply.type(type).header('cache-control', 'no-cache').send(body);
}

export function registerConsoleRoutes(app: FastifyInstance): void {
  const publicAccess = { config: { access: 'public' as const } };
  app.get('/console', publicAccess, (_request, reply) => sendFile(reply, 'console/index.html', 'index.html'));
  app.get('/console/', publicAccess, (_request, reply) => reply.redirect('/console'));
  app.get<{ Params: { name: string } }>('/console/vendor/:name', publicAccess, (request, reply) => {
    const path = VENDOR[request.params.name];
    if (!path) throw notFound(request.params.name);
    return sendFile(reply, path, request.params.name);
  });
  app.get<{ Params: { name: string } }>('/console/:name', publicAccess, (request, reply) => {
    const { name } = request.params;
    if (!FILE.test(name)) throw notFound(name);
    return sendFile(reply, `console/${name}`, name);
  });
}
