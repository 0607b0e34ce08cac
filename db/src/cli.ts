import { redactUrl } from './url.js';

/**
 * Shared shell for the db entry points: reads the connection URL from the first of `urlVariables` that is
 * set (DATABASE_URL by default), prints one JSON line per outcome and turns connection failures into a
 * sentence with the fix instead of a stack trace.
 */
export async function runCli(
  name: string,
  task: (url: string) => Promise<Record<string, unknown>>,
  urlVariables: string[] = ['DATABASE_URL'],
) {
  const variable = urlVariables.find((v) => process.env[v]) ?? urlVariables[0] ?? 'DATABASE_URL';
  const url = process.env[variable] || 'postgres://osint:osint@127.0.0.1:54320/osint';
  if (!/^postgres(ql)?:\/\//.test(url) || !URL.canParse(url)) {
    process.stderr.write(`${name}: ${variable} must be a postgres:// URL\n`);
    process.exit(78);
  }
  try {
    // A task may say what happened in its own words (`msg`); otherwise "<name> done".
    const { msg, ...result } = await task(url);
    process.stdout.write(
      `${JSON.stringify({ level: 'info', service: name, msg: typeof msg === 'string' ? msg : `${name} done`, ...result })}\n`,
    );
  } catch (error) {
    const err = error as Error & { code?: string };
    const hint =
      err.code === 'ECONNREFUSED'
        ? `nothing answers at ${redactUrl(url)}: start PostgreSQL (npm start does) or fix DATABASE_URL`
        : err.code === '28P01'
          ? `authentication failed: check the user and password in ${variable}`
          : err.code === '3D000'
            ? 'the database does not exist: create it or fix DATABASE_URL'
            : 'see the message above; docs/development.md#troubleshooting lists the usual causes';
    process.stderr.write(`${name} failed: ${err.message}\n  fix: ${hint}\n`);
    process.exit(1);
  }
}
