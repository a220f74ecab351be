/** The `relance` command line: start, simulate, preview, tokens. */
import { RelanceError } from '../domain/errors';

const usage = `usage:
  relance start                                   run the whole stack (Temporal dev server, API, worker, outbox)
  relance simulate <scenario> [--json]            replay a scenario on a time-skipping Temporal server
  relance preview <template> --locale fr-FR --channel email|sms [--data sample.json]
  relance tokens create --role admin|finance|marketing|agent --name "Claire Martin"
  relance tokens list [--json] | relance tokens revoke <token id>
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'start': {
      const { startCommand } = await import('./start-command');
      return startCommand();
    }
    case 'simulate': {
      const { simulateCommand } = await import('./simulate-command');
      return simulateCommand(args);
    }
    case 'preview': {
      const { previewCommand } = await import('./preview-command');
      return previewCommand(args);
    }
    case 'tokens': {
      const { tokensCommand } = await import('./tokens-command');
      return tokensCommand(args);
    }
    default:
      process.stderr.write(usage);
      return command === undefined || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof RelanceError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
