/** What every command is: its words, options, help, and a run that gets the parsed command line. */
import type { ParseArgsOptionDescriptor } from 'node:util';
import type { Fetch, HeraldClient } from '@herald/client';
import type { ResolvedConfig } from './config';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Resolves when the user asks to stop (SIGINT, SIGTERM): long-running commands end on it. */
  stopped(): Promise<string>;
  /** The fetch the API client calls (the runtime's own unless a test gives an in-memory one). */
  fetch?: Fetch;
}

export interface Context {
  io: Io;
  json: boolean;
  config: ResolvedConfig;
  /** The API client; throws a usage error when no token is configured. */
  client(): HeraldClient;
  out(text: string): void;
  /** Notes and progress for the person, on stderr so stdout stays the answer. */
  note(text: string): void;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  /** The words that name it: ['events', 'send']. */
  words: readonly string[];
  summary: string;
  /** After `herald <words>`: `[JSON...] [--file FILE]`. */
  usage: string;
  options?: Record<string, ParseArgsOptionDescriptor & { description: string; valueName?: string }>;
  /** More lines of help below the options: examples, what is printed. */
  details?: string;
  /** How many positional arguments it takes (the ones the usage names). */
  positionals?: { min: number; max: number; names: string };
  run(context: Context, values: Values, positionals: string[]): Promise<number>;
}
