import { describe, expect, jest, test } from '@jest/globals';
import { lazy } from '../src/lazy';

describe('lazy', () => {
  test('makes the value on first call only', () => {
    const make = jest.fn(() => ({ client: 1 }));
    const get = lazy(make);
    expect(make).not.toHaveBeenCalled();
    const first = get();
    expect(get()).toBe(first);
    expect(make).toHaveBeenCalledTimes(1);
  });

  test('keeps a promise that resolves, and shares it with calls made while it is pending', async () => {
    const make = jest.fn(async () => 'key');
    const get = lazy(make);
    const [a, b] = [get(), get()];
    expect(a).toBe(b);
    expect(await a).toBe('key');
    expect(await get()).toBe('key');
    expect(make).toHaveBeenCalledTimes(1);
  });

  test('forgets a promise that rejects, so the next call tries again', async () => {
    let calls = 0;
    const get = lazy(async () => {
      calls += 1;
      if (calls === 1) throw new Error('Secrets Manager unavailable');
      return 'secret';
    });
    await expect(get()).rejects.toThrow('Secrets Manager unavailable');
    expect(await get()).toBe('secret');
    expect(await get()).toBe('secret');
    expect(calls).toBe(2);
  });

  test('keeps nothing when making throws', () => {
    let calls = 0;
    const get = lazy(() => {
      calls += 1;
      if (calls === 1) throw new Error('UPLOADS_TABLE is not set');
      return calls;
    });
    expect(() => get()).toThrow('UPLOADS_TABLE');
    expect(get()).toBe(2);
    expect(get()).toBe(2);
  });
});
