import { isLimit, resolveLimits, stageTenantLimits } from '../../src/tenants/limits';

describe('resolveLimits', () => {
  const defaults = { maxSubscriptions: 100, maxConcurrentReplays: 5 };

  it("takes the stage's defaults when the tenant has no settings or no limits", () => {
    expect(resolveLimits(undefined, defaults)).toEqual(defaults);
    expect(resolveLimits({}, defaults)).toEqual(defaults);
    expect(resolveLimits({ limits: {} }, defaults)).toEqual(defaults);
  });

  it("takes the tenant's own limit over the default, each limit on its own", () => {
    expect(resolveLimits({ limits: { maxSubscriptions: 3 } }, defaults)).toEqual({
      maxSubscriptions: 3,
      maxConcurrentReplays: 5,
    });
    // Above the stage's default too: the tenant's setting takes over the stage-wide cap.
    expect(resolveLimits({ limits: { maxConcurrentReplays: 50 } }, defaults).maxConcurrentReplays).toBe(50);
  });

  it('keeps a limit of 0 (nothing allowed)', () => {
    expect(resolveLimits({ limits: { maxSubscriptions: 0 } }, defaults).maxSubscriptions).toBe(0);
  });

  it('answers only the limits asked for', () => {
    const resolved = resolveLimits({ limits: { ingestEventsPerSecond: 7, maxSubscriptions: 2 } }, defaults);
    expect(resolved).toEqual({ maxSubscriptions: 2, maxConcurrentReplays: 5 });
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10', null, 2 ** 60])(
    'takes the default for a value that is not a limit (%p)',
    (value) => {
      const settings = { limits: { maxSubscriptions: value as number } };
      expect(resolveLimits(settings, defaults).maxSubscriptions).toBe(100);
      expect(isLimit(value)).toBe(false);
    },
  );
});

describe("the stage's limits for some tenants", () => {
  const defaults = { maxSubscriptions: 100, maxConcurrentReplays: 5 };

  it("come between the tenant's settings and the stage's default, limit by limit", () => {
    const stage = { maxSubscriptions: 2, maxConcurrentReplays: 1 };
    expect(resolveLimits(undefined, defaults, stage)).toEqual(stage);
    expect(resolveLimits({ limits: { maxSubscriptions: 9 } }, defaults, stage)).toEqual({
      maxSubscriptions: 9,
      maxConcurrentReplays: 1,
    });
    expect(resolveLimits(undefined, defaults, { maxSubscriptions: 3 })).toEqual({
      maxSubscriptions: 3,
      maxConcurrentReplays: 5,
    });
  });

  it('are read from TENANT_LIMITS, none when empty', () => {
    expect(stageTenantLimits(undefined)).toEqual({});
    expect(stageTenantLimits(' ')).toEqual({});
    expect(stageTenantLimits('{"acme":{"ingestRequestsPerSecond":2,"uploadBytesPerDay":0}}')).toEqual({
      acme: { ingestRequestsPerSecond: 2, uploadBytesPerDay: 0 },
    });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['a list', '[]', /must be an object/],
    ['a misspelt limit', '{"acme":{"maxSubscription":2}}', /unknown limit maxSubscription/],
    ['a negative value', '{"acme":{"maxSubscriptions":-1}}', /whole number/],
    ['a string', '{"acme":{"maxSubscriptions":"2"}}', /whole number/],
    ['limits not an object', '{"acme":3}', /must map limits/],
  ])('refuse %s at cold start', (_case, text, message) => {
    expect(() => stageTenantLimits(text)).toThrow(message);
  });
});
