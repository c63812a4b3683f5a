/** What `herald` exits with; README.md lists them, and scripts may rely on them. */
export const EXIT = {
  ok: 0,
  /** The API answered with a problem (4xx/5xx), or an upload failed. */
  problem: 1,
  /** The command line was wrong: unknown command or option, missing argument, unreadable input. */
  usage: 2,
  /** No answer: the API (or a listen target) could not be reached. */
  network: 3,
  /** Partly done: some events or upload lines were rejected, the others accepted. */
  partial: 4,
} as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
