/**
 * The admin token of an installation: RELANCE_ADMIN_TOKEN, or one generated once into
 * `.data/admin-token` (mode 0600) so a newcomer's first `npm start` has a token to call the API
 * with (`TOKEN=$(cat .data/admin-token)`). The token is never printed, only where it is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateToken } from '../store/token-repository';
import { installationSecret } from './installation-secret';

export const ADMIN_TOKEN_FILE = 'admin-token';

export interface AdminToken {
  token: string;
  /** Where it comes from, for the start banner: the variable's name or the file's path. */
  source: string;
}

export function adminToken(settings: {
  RELANCE_ADMIN_TOKEN?: string | undefined;
  RELANCE_DATA_DIR: string;
}): AdminToken {
  if (settings.RELANCE_ADMIN_TOKEN)
    return { token: settings.RELANCE_ADMIN_TOKEN, source: 'RELANCE_ADMIN_TOKEN' };
  return {
    token: installationSecret(settings.RELANCE_DATA_DIR, ADMIN_TOKEN_FILE, generateToken),
    source: join(settings.RELANCE_DATA_DIR, ADMIN_TOKEN_FILE),
  };
}

/** The admin token if one exists without creating it: for the CLI, which must not invent one. */
export function existingAdminToken(settings: {
  RELANCE_ADMIN_TOKEN?: string | undefined;
  RELANCE_DATA_DIR: string;
}): string | undefined {
  if (settings.RELANCE_ADMIN_TOKEN) return settings.RELANCE_ADMIN_TOKEN;
  try {
    return readFileSync(join(settings.RELANCE_DATA_DIR, ADMIN_TOKEN_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
