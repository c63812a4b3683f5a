/**
 * Which refusals of a webhook URL, when a subscription is written, count as SSRF refusals (a
 * security signal): those for where the URL points, never those for its form.
 */
import { describe, expect, test } from '@jest/globals';
import { refusedForItsHost, urlProblems } from '../../src/subscriptions/input-checks';
import { STRICT_TARGETS } from '../../src/subscriptions/url-policy';

function check(url: string, resolvesTo?: string[]) {
  let refusals = 0;
  const deps = {
    targets: STRICT_TARGETS,
    resolver: { resolve: async () => resolvesTo },
    onSsrfRefused: () => refusals++,
  };
  return urlProblems(url, deps).then((problems) => ({ problems, refusals }));
}

describe('SSRF refusals when a subscription is written', () => {
  test.each([
    ['a private address', 'https://10.0.0.1/h'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data'],
    ['a loopback name', 'https://localhost/h'],
    ['an internal single-label name', 'https://intranet/h'],
    ['an IPv6 loopback', 'https://[::1]/h'],
  ])('%s is refused and counted', async (_, url) => {
    const { problems, refusals } = await check(url);
    expect(problems).toEqual([{ pointer: '/body/url', message: expect.any(String) }]);
    expect(refusals).toBe(1);
  });

  test('a name that resolves to a private address now is refused and counted', async () => {
    expect(await check('https://hooks.example.com/h', ['93.184.216.34', '10.1.2.3'])).toEqual({
      problems: [{ pointer: '/body/url', message: expect.stringMatching(/^resolves to/) }],
      refusals: 1,
    });
  });

  test.each([
    ['plain http', 'http://hooks.example.com/h'],
    ['credentials', 'https://user:secret@hooks.example.com/h'],
    ['a fragment', 'https://hooks.example.com/h#x'],
    ['no URL at all', 'not a url'],
  ])('a URL refused for its form (%s) is not counted', async (_, url) => {
    const { problems, refusals } = await check(url);
    expect(problems).toHaveLength(1);
    expect(refusals).toBe(0);
  });

  test('an accepted URL counts nothing', async () => {
    expect(await check('https://hooks.example.com/h', ['93.184.216.34'])).toEqual({
      problems: [],
      refusals: 0,
    });
    expect(refusedForItsHost('https://hooks.example.com/h', STRICT_TARGETS)).toBe(false);
  });
});
