/**
 * `relance tokens create --role R --name N` (prints the token once, on stdout alone, so
 * `TOKEN=$(relance tokens create …)` works), `relance tokens list [--json]`,
 * `relance tokens revoke ID`.
 */
import { parseArgs } from 'node:util';
import { RelanceError } from '../domain/errors';
import { ROLES } from '../domain/roles';
import { parseTokenInput } from '../domain/token-input';
import { loadSettings } from '../runtime/settings';
import type { ApiToken } from '../store/token-repository';
import { tokenBackend, type TokenBackend } from './token-backends';

export const tokensUsage = `usage:
  relance tokens create --role ${ROLES.join('|')} --name "Claire Martin"
  relance tokens list [--json]
  relance tokens revoke <token id>
`;

export interface TokensIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

const processIo: TokensIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
};

function table(tokens: ApiToken[]): string {
  if (tokens.length === 0) return 'No tokens yet: relance tokens create --role R --name N\n';
  const rows = tokens.map((t) => [
    t.id,
    t.role,
    t.name,
    t.createdAt,
    t.lastUsedAt ?? '-',
    t.revokedAt ? `revoked ${t.revokedAt}` : 'active',
  ]);
  const all = [['ID', 'ROLE', 'NAME', 'CREATED', 'LAST USED', 'STATUS'], ...rows];
  const widths = all[0]!.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  return (
    all
      .map((r) =>
        r
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

async function run(
  backend: TokenBackend,
  sub: string,
  values: Record<string, unknown>,
  ids: string[],
  io: TokensIo,
): Promise<number> {
  switch (sub) {
    case 'create': {
      const created = await backend.create(parseTokenInput({ name: values.name, role: values.role }));
      io.err(
        `Created ${created.id} for "${created.name}" (role ${created.role}) in ${backend.where}.\nThe token is shown this once; only its hash is kept:\n`,
      );
      io.out(`${created.token}\n`);
      return 0;
    }
    case 'list': {
      const tokens = await backend.list();
      io.out(values.json ? `${JSON.stringify({ tokens }, null, 2)}\n` : table(tokens));
      return 0;
    }
    default: {
      const revoked = await backend.revoke(ids[0]!);
      if (!revoked) {
        io.err(`No token "${ids[0]}" in ${backend.where} (see relance tokens list)\n`);
        return 1;
      }
      io.out(`Revoked ${revoked.id} ("${revoked.name}", role ${revoked.role}) at ${revoked.revokedAt}\n`);
      return 0;
    }
  }
}

export async function tokensCommand(args: string[], io: TokensIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { role: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
    });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${tokensUsage}`);
    return 2;
  }
  const [sub, ...ids] = parsed.positionals;
  if (!(sub === 'create' || sub === 'list' || (sub === 'revoke' && ids.length === 1))) {
    io.err(tokensUsage);
    return sub === undefined ? 0 : 2;
  }
  try {
    if (sub === 'create') parseTokenInput({ name: parsed.values.name, role: parsed.values.role }); // before opening anything
    const backend = await tokenBackend(loadSettings(io.env));
    try {
      return await run(backend, sub, parsed.values, ids, io);
    } finally {
      await backend.close();
    }
  } catch (error) {
    if (!(error instanceof RelanceError)) throw error;
    const issues = error.issues.map((i) => `  --${i.path}: ${i.message}\n`).join('');
    io.err(`${error.message}\n${issues}`);
    return 2;
  }
}
