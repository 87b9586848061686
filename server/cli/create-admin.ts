// `npm run create-admin -- --email you@example.com --name "Your Name" [--link]`: the first
// (or another) admin, in the database the server uses, even while the server runs. At a
// terminal it asks for the password twice without showing it; without one (or with --link)
// it prints a one-time link where the new admin sets their own password.
import { parseArgs } from 'node:util';
import { PASSWORD_LINK_HOURS } from '../../shared/limits.ts';
import {
  checkAccount,
  createAdmin,
  createAdminWithLink,
  MIN_PASSWORD_LENGTH,
  PASSWORDS_DIFFER,
  passwordProblem,
  SET_PASSWORD_PATH,
} from '../auth/staff-accounts.ts';
import { loadConfig } from '../config.ts';
import { describeFailure } from '../failure.ts';
import { createLogger } from '../logger.ts';
import { askHidden } from './ask-hidden.ts';
import { openCommandDatabase } from './database.ts';

const USAGE = `Usage: npm run create-admin -- --email you@example.com --name "Your Name" [--link]

  --email  the admin's email address (they sign in with it)
  --name   their name, as the apps show it
  --link   print a one-time link to set the password, instead of asking for it here
           (also what happens when this is not run at a terminal)`;

/** A sentence for the person, exit code 1, no stack trace. */
class Refused extends Error {
  override name = 'Refused';
}

async function main(argv: string[]): Promise<number> {
  const args = parseArguments(argv);
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  // Quiet unless asked: migrations and Postgres's start are not what this command is about.
  const log = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn');
  const account = checkAccount({ email: args.email, name: args.name });
  if (account.status === 'refused') throw new Refused(account.reason);
  const baseUrl = config.publicUrl ?? `http://localhost:${config.port}`;

  // At a terminal, the password is settled before anything starts, so a typo costs nothing.
  const atTerminal = !args.link && process.stdin.isTTY === true;
  const password = atTerminal ? await askPasswordTwice(account.email) : null;

  const db = await openCommandDatabase(config, log);
  try {
    if (password !== null) {
      const created = await createAdmin(db.pool, { ...account, password });
      if (created.status === 'refused') throw new Refused(created.reason);
      console.log(
        `Created the admin ${created.name} <${created.email}>.\nSign in at ${baseUrl}/admin/ (start the server with \`npm start\` if it is not running).`,
      );
      return 0;
    }
    const issued = await createAdminWithLink(db.pool, account);
    if (issued.status === 'refused') throw new Refused(issued.reason);
    const link = `${baseUrl}${SET_PASSWORD_PATH}?token=${issued.token}`;
    console.log(
      `${
        issued.status === 'created'
          ? `Created the admin ${issued.name} <${issued.email}>.`
          : `${issued.email} has not set a password yet: here is a new link (earlier ones no longer work).`
      }
To set the password, open this link while the server runs. It works once, within ${PASSWORD_LINK_HOURS} hours:

  ${link}
`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

function parseArguments(argv: string[]): { email: string; name: string; link: boolean } | 'help' {
  let values: { email?: string; name?: string; link?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        link: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Refused(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  const missing = (['email', 'name'] as const).filter((k) => !values[k]);
  if (missing.length)
    throw new Refused(`Give the new admin's ${missing.map((k) => `--${k}`).join(' and ')}.\n\n${USAGE}`);
  return { email: values.email ?? '', name: values.name ?? '', link: values.link === true };
}

async function askPasswordTwice(email: string): Promise<string> {
  const password = await askHidden(
    `Password for ${email} (at least ${MIN_PASSWORD_LENGTH} characters, not shown): `,
  );
  const problem = passwordProblem(password, email);
  if (problem) throw new Refused(problem);
  if ((await askHidden('The same password again: ')) !== password) throw new Refused(PASSWORDS_DIFFER);
  return password;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(describeFailure(error, process.env.LOG_LEVEL === 'debug'));
  process.exitCode = 1;
}
// Postgres connections and the terminal are closed; exit now rather than wait on stdin.
process.exit();
