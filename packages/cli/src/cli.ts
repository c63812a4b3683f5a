/**
 * From a command line to a command: which command its words name, its options parsed (strictly:
 * an unknown option is a usage error), help for the program, a group and each command, and what
 * went wrong turned into a message and an exit code, never a stack trace.
 */
import { parseArgs, type ParseArgsOptionDescriptor } from 'node:util';
import { createHeraldClient, HeraldNetworkError, HeraldProblem } from '@herald/client';
import type { Command, Context, Io, Values } from './command';
import { profileFilePath, readProfileFile, resolveConfig } from './config';
import { EXIT, UsageError } from './exit-codes';
import { formatNetworkError, formatProblem } from './format';

type Described = ParseArgsOptionDescriptor & { description: string; valueName?: string };

export const GLOBAL_OPTIONS: Record<string, Described> = {
  'base-url': {
    type: 'string',
    valueName: 'URL',
    description: 'one base URL for all four APIs ($HERALD_URL)',
  },
  'ingest-url': {
    type: 'string',
    valueName: 'URL',
    description: 'the ingest API ($HERALD_INGEST_URL; default http://localhost:4000)',
  },
  'processing-url': {
    type: 'string',
    valueName: 'URL',
    description: 'the processing API ($HERALD_PROCESSING_URL; default :4010)',
  },
  'notifications-url': {
    type: 'string',
    valueName: 'URL',
    description: 'the notifications API ($HERALD_NOTIFICATIONS_URL; default :4020)',
  },
  'tenants-url': {
    type: 'string',
    valueName: 'URL',
    description: 'the tenants API ($HERALD_TENANTS_URL; default :4030)',
  },
  token: { type: 'string', valueName: 'TOKEN', description: 'bearer token ($HERALD_TOKEN)' },
  profile: {
    type: 'string',
    valueName: 'NAME',
    description: 'a profile of the profile file ($HERALD_PROFILE; default "default")',
  },
  config: {
    type: 'string',
    valueName: 'FILE',
    description: 'the profile file ($HERALD_CONFIG; default ~/.config/herald/config.json)',
  },
  json: {
    type: 'boolean',
    description: 'machine-readable output: one JSON document, or NDJSON for lists and streams',
  },
  help: { type: 'boolean', short: 'h', description: 'this help' },
};

const EXIT_HELP = `Exit codes: 0 ok, 1 the API answered with a problem (or an upload failed), 2 usage error,
3 the API could not be reached, 4 some events or lines were rejected (the others accepted).`;

function optionLines(options: Record<string, Described>): string {
  const rows = Object.entries(options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.type === 'string' ? ` ${option.valueName ?? 'VALUE'}` : ''}`;
    return [flag, option.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`).join('\n');
}

export function programHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.words.join(' ').length));
  return `herald: Herald's HTTP APIs from a terminal.

Usage: herald <command> [options]

Commands:
${commands.map((command) => `  ${command.words.join(' ').padEnd(width)}  ${command.summary}`).join('\n')}

Options of every command:
${optionLines(GLOBAL_OPTIONS)}

Configuration: flags, then the environment, then the profile file
({"profiles":{"default":{"url":"...","token":"..."}}}), then npm start's local ports.
Dead-letter queues: npm run -s dlq (operators).
${EXIT_HELP}

herald <command> --help shows a command's options.`;
}

export function commandHelp(command: Command): string {
  const own = command.options ?? {};
  return [
    `${command.summary}.`,
    '',
    `Usage: herald ${command.words.join(' ')}${command.usage ? ` ${command.usage}` : ''}`,
    ...(Object.keys(own).length ? ['', 'Options:', optionLines(own)] : []),
    '',
    'Options of every command:',
    optionLines(GLOBAL_OPTIONS),
    ...(command.details ? ['', command.details] : []),
    '',
    EXIT_HELP,
  ].join('\n');
}

function groupHelp(group: string, commands: readonly Command[]): string {
  const members = commands.filter((command) => command.words[0] === group);
  const width = Math.max(...members.map((command) => command.words.join(' ').length));
  return `Usage: herald ${group} <${members.map((command) => command.words[1]).join('|')}> [options]\n\n${members
    .map((command) => `  ${command.words.join(' ').padEnd(width)}  ${command.summary}`)
    .join('\n')}\n\nherald ${group} <command> --help shows a command's options.`;
}

/** The command the leading words name, and the arguments after them. */
export function findCommand(commands: readonly Command[], argv: readonly string[]) {
  const [first, second] = argv;
  const command =
    commands.find((each) => each.words.length === 2 && each.words[0] === first && each.words[1] === second) ??
    commands.find((each) => each.words.length === 1 && each.words[0] === first);
  return command ? { command, rest: argv.slice(command.words.length) } : undefined;
}

export function parseCommandLine(command: Command, args: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Values;
  const { min, max, names } = command.positionals ?? { min: 0, max: 0, names: '' };
  if (!values.help && (parsed.positionals.length < min || parsed.positionals.length > max))
    throw new UsageError(
      max === 0
        ? `unexpected argument ${JSON.stringify(parsed.positionals[0])}`
        : parsed.positionals.length < min
          ? `${names} is required`
          : `too many arguments: ${parsed.positionals.slice(max).join(' ')}`,
    );
  return { values, positionals: parsed.positionals };
}

export async function run(commands: readonly Command[], argv: readonly string[], io: Io): Promise<number> {
  const out = (text: string) => void io.stdout.write(`${text}\n`);
  const note = (text: string) => void io.stderr.write(`${text}\n`);
  const found = findCommand(commands, argv);
  if (!found) {
    const [first] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      (first === undefined ? note : out)(programHelp(commands));
      return first === undefined ? EXIT.usage : EXIT.ok;
    }
    if (commands.some((command) => command.words.length === 2 && command.words[0] === first)) {
      const asked = argv.slice(1).some((arg) => arg === '--help' || arg === '-h') || argv.length === 1;
      const wrong = argv[1] !== undefined && !argv[1].startsWith('-');
      if (wrong) note(`herald: unknown command "${first} ${argv[1]}"\n`);
      (asked && !wrong ? out : note)(groupHelp(first, commands));
      return asked && !wrong && argv.length > 1 ? EXIT.ok : EXIT.usage;
    }
    note(`herald: unknown command "${first}". herald --help lists the commands.`);
    return EXIT.usage;
  }

  const { command, rest } = found;
  const name = `herald ${command.words.join(' ')}`;
  let json = false;
  try {
    const { values, positionals } = parseCommandLine(command, rest);
    json = values.json === true;
    if (values.help) {
      out(commandHelp(command));
      return EXIT.ok;
    }
    const file = await readProfileFile(profileFilePath(io.env, values.config as string | undefined));
    const config = resolveConfig(
      {
        url: values['base-url'] as string | undefined,
        ingestUrl: values['ingest-url'] as string | undefined,
        processingUrl: values['processing-url'] as string | undefined,
        notificationsUrl: values['notifications-url'] as string | undefined,
        tenantsUrl: values['tenants-url'] as string | undefined,
        token: values.token as string | undefined,
        profile: values.profile as string | undefined,
      },
      io.env,
      file,
    );
    const context: Context = {
      io,
      json,
      config,
      out,
      note,
      client: () => {
        if (config.token === undefined)
          throw new UsageError(
            'no token: give --token, set HERALD_TOKEN (npm start prints one), or put one in a profile',
          );
        return createHeraldClient({
          baseUrls: config.baseUrls,
          token: config.token,
          ...(io.fetch && { fetch: io.fetch }),
        });
      },
    };
    return await command.run(context, values, positionals);
  } catch (error) {
    if (error instanceof UsageError) {
      note(`${name}: ${error.message}\n${name} --help shows its usage.`);
      return EXIT.usage;
    }
    if (error instanceof HeraldProblem) {
      if (json) out(JSON.stringify(error.body));
      note(formatProblem(error));
      return EXIT.problem;
    }
    if (error instanceof HeraldNetworkError) {
      note(formatNetworkError(error));
      return EXIT.network;
    }
    note(`${name}: ${(error as Error).message ?? String(error)}`);
    return EXIT.problem;
  }
}
