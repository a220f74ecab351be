/**
 * Loads the configuration once, at start: the project's default.yaml, then each override file
 * merged over it (objects merge key by key, arrays and scalars replace), then the zod schema.
 * A bad value stops the start with the file, the path and what was expected.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ErrorCode, formatPath, RelanceError } from '../domain/errors';
import { issueMessage } from '../domain/events';
import { configSchema, type RelanceConfig } from './schema';

export const defaultConfigPath = fileURLToPath(new URL('./default.yaml', import.meta.url));

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function mergeConfig(base: unknown, override: unknown): unknown {
  if (!isPlain(base) || !isPlain(override)) return override;
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeConfig(base[key], value);
  return merged;
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RelanceError(
      ErrorCode.InvalidConfig,
      `Cannot read configuration file ${file}: ${String(error)}`,
    );
  }
  try {
    return parseYaml(text) ?? {};
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : '';
    throw new RelanceError(
      ErrorCode.InvalidConfig,
      `${file}${where}: not valid YAML (${(error as Error).message})`,
    );
  }
}

/**
 * Which file a path's value came from: the last layer that sets it, else the default. An array or a
 * scalar on the way replaces whatever earlier layers had below it, so that layer owns the path.
 */
function fileOf(path: readonly PropertyKey[], layers: { file: string; raw: unknown }[]): string {
  for (const layer of [...layers].reverse()) {
    let node: unknown = layer.raw;
    let found = true;
    for (const key of path) {
      if (!isPlain(node)) return layer.file;
      if (typeof key === 'string' && key in node) node = node[key];
      else {
        found = false;
        break;
      }
    }
    if (found) return layer.file;
  }
  return layers[layers.length - 1]?.file ?? defaultConfigPath;
}

/** Validates a raw (already merged) object; `layers` name the files it came from, for errors. */
export function parseConfig(raw: unknown, layers: { file: string; raw: unknown }[]): RelanceConfig {
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: `${issueMessage(issue)} (in ${fileOf(issue.path, layers)})`,
  }));
  const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
  throw new RelanceError(ErrorCode.InvalidConfig, `Invalid configuration:\n${lines}`, issues);
}

/** Default file, then overrides in order (RELANCE_CONFIG, a scenario's config:). */
export function loadConfig(overrideFiles: string[] = []): RelanceConfig {
  const layers = [defaultConfigPath, ...overrideFiles].map((file) => ({ file, raw: readYaml(file) }));
  const merged = layers.reduce<unknown>((acc, layer) => mergeConfig(acc, layer.raw), {});
  return parseConfig(merged, layers);
}

/** Overrides named by the environment: RELANCE_CONFIG may list several files separated by commas. */
export function configFilesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.RELANCE_CONFIG ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
}
