import { describe, expect, test } from '@jest/globals';
import { AUTO_PORT_STARTS, PortInUseError, startAgainOnTakenPort } from '../src/ports';

const taken = () => new PortInUseError(40123, 'Secrets Manager emulator', 'HERALD_PORT_SECRETSMANAGER');

/** A start that fails with `errors` in turn, then succeeds; counts its calls. */
function starts(...errors: Error[]) {
  let calls = 0;
  return {
    start: async () => {
      calls += 1;
      const error = errors.shift();
      if (error) throw error;
      return 'started';
    },
    calls: () => calls,
  };
}

describe('starting again when a port chosen free was taken meanwhile', () => {
  test("in 'auto' mode, starts again on a taken port, and says so", async () => {
    const lines: string[] = [];
    const run = starts(taken());
    await expect(startAgainOnTakenPort(run.start, 'auto', (line) => lines.push(line))).resolves.toBe(
      'started',
    );
    expect(run.calls()).toBe(2);
    expect(lines).toEqual([
      'port 40123 (Secrets Manager emulator) was taken meanwhile: starting again on other free ports',
    ]);
  });

  test('gives up after a few starts, with the last error', async () => {
    const run = starts(...Array.from({ length: AUTO_PORT_STARTS }, taken));
    await expect(startAgainOnTakenPort(run.start, 'auto')).rejects.toBeInstanceOf(PortInUseError);
    expect(run.calls()).toBe(AUTO_PORT_STARTS);
  });

  test('a fixed port that is taken fails at once: it is the user’s to change', async () => {
    const run = starts(taken());
    await expect(startAgainOnTakenPort(run.start, 'fixed')).rejects.toBeInstanceOf(PortInUseError);
    expect(run.calls()).toBe(1);
  });

  test('any other failure fails at once', async () => {
    const run = starts(new Error('DynamoDB Local did not start'));
    await expect(startAgainOnTakenPort(run.start, 'auto')).rejects.toThrow('DynamoDB Local did not start');
    expect(run.calls()).toBe(1);
  });
});
