/**
 * How acceptEvents and onUpload read the catalog without a call per event: per container, each
 * tenant's whole catalog is read with one Query and kept for `ttlMs` (CATALOG_TTL_SECONDS, 60 s by
 * default), so a change to a type takes effect within that time. At most `maxTenants` catalogs, and
 * `maxCatalogBytes` of their schemas' text, are kept (least recently used goes first). Validators are
 * compiled on first use, once per (tenant, type, version) per container, and kept in an LRU of their
 * own bounded by count and by their schemas' text (`maxValidatorBytes`: compiled code grows with
 * it); a new version is a new key, so a replaced schema never validates with the old code.
 */
import type { compileSchema, DataError, DataValidator } from './event-schemas';
import type { CatalogEntry, EventTypeStore } from './event-types';

export interface CatalogCacheOptions {
  ttlMs: number;
  maxTenants: number;
  maxValidators: number;
  /** Bytes of schema text all kept catalogs may hold (a tenant's can reach 200 x 64 KiB). */
  maxCatalogBytes?: number;
  /** Bytes of schema text behind all kept validators. */
  maxValidatorBytes?: number;
  now?: () => number;
  /**
   * The schema compiler (Ajv, ajv-formats and re2js: about half of acceptEvents' bundle), loaded on
   * first need: a container whose tenants have no schema never evaluates it at cold start.
   */
  loadCompiler?: () => Promise<typeof compileSchema>;
  /** Told each compile's duration (ms), for the logs. */
  onCompile?: (details: { tenantId: string; type: string; version: number; ms: number }) => void;
}

interface Held {
  at: number;
  entries: Promise<Map<string, CatalogEntry>>;
}

/**
 * A least-recently-used map bounded by count and by the weights of its values: a Map keeps insertion
 * order, so a hit is moved to the end and the first entries go first.
 */
class Lru<V> {
  private readonly map = new Map<string, { value: V; weight: number }>();
  private total = 0;
  constructor(
    private readonly max: number,
    private readonly maxWeight: number,
    private readonly onEvict?: (value: V) => void,
  ) {}
  get(key: string): V | undefined {
    const entry = this.map.get(key);
    if (entry !== undefined) {
      this.map.delete(key);
      this.map.set(key, entry);
    }
    return entry?.value;
  }
  set(key: string, value: V, weight = 0): void {
    const old = this.map.get(key);
    if (old !== undefined) this.remove(key, old.value !== value);
    this.map.set(key, { value, weight });
    this.total += weight;
    this.trim();
  }
  /** Gives a kept value its weight once known (a catalog's, when its read resolves). */
  weigh(key: string, value: V, weight: number): void {
    const entry = this.map.get(key);
    if (entry?.value !== value) return;
    this.total += weight - entry.weight;
    entry.weight = weight;
    this.trim();
  }
  delete(key: string): void {
    if (this.map.has(key)) this.remove(key, false);
  }
  private remove(key: string, evicted: boolean): void {
    const entry = this.map.get(key)!;
    this.map.delete(key);
    this.total -= entry.weight;
    if (evicted) this.onEvict?.(entry.value);
  }
  private trim(): void {
    while (this.map.size > this.max || (this.total > this.maxWeight && this.map.size > 0)) {
      this.remove(this.map.keys().next().value as string, true);
    }
  }
  get size(): number {
    return this.map.size;
  }
  get weight(): number {
    return this.total;
  }
}

/** What an event's type says about it. */
export type TypeCheck =
  { kind: 'ok'; deprecated?: { type: string; replacedBy?: string } } | { kind: 'invalid'; error: DataError };

interface CompiledValidator {
  validate: DataValidator;
  release?: () => void;
}

/** A catalog's weight: its schemas' text (UTF-16 code units, near enough to bytes for a bound). */
const schemaBytes = (entries: Iterable<CatalogEntry>): number => {
  let bytes = 0;
  for (const entry of entries) bytes += entry.schemaJson?.length ?? 0;
  return bytes;
};

const loadCompiler = () => import('./event-schemas').then((module) => module.compileSchema);

export class CatalogCache {
  private readonly tenants: Lru<Held>;
  private readonly validators: Lru<CompiledValidator>;
  private readonly now: () => number;
  private compile: typeof compileSchema | undefined;

  constructor(
    private readonly store: Pick<EventTypeStore, 'catalog'>,
    private readonly options: CatalogCacheOptions,
  ) {
    this.tenants = new Lru(options.maxTenants, options.maxCatalogBytes ?? Infinity);
    this.validators = new Lru(options.maxValidators, options.maxValidatorBytes ?? Infinity, (validator) =>
      validator.release?.(),
    );
    this.now = options.now ?? Date.now;
  }

  /** The tenant's catalog, read at most once per TTL (concurrent callers share one read). */
  async catalog(tenantId: string): Promise<Map<string, CatalogEntry>> {
    const held = this.tenants.get(tenantId);
    if (held && this.now() - held.at < this.options.ttlMs) return held.entries;
    const entries = this.store
      .catalog(tenantId)
      .then((items) => new Map(items.map((entry) => [entry.type, entry])));
    const fresh = { at: this.now(), entries };
    this.tenants.set(tenantId, fresh);
    void entries.then(
      (held) => this.tenants.weigh(tenantId, fresh, schemaBytes(held.values())),
      () => undefined,
    );
    // A failed read is not kept: the next event tries again.
    entries.catch(() => {
      if (this.tenants.get(tenantId) === fresh) this.tenants.delete(tenantId);
    });
    return entries;
  }

  /** A checker of one tenant's events: `check(type, data)` for each. */
  async forTenant(tenantId: string): Promise<(type: string, data: unknown) => TypeCheck> {
    const catalog = await this.catalog(tenantId);
    if (this.compile === undefined && [...catalog.values()].some((entry) => entry.schemaJson !== undefined)) {
      this.compile = await (this.options.loadCompiler ?? loadCompiler)();
    }
    return (type, data) => {
      const entry = catalog.get(type);
      if (entry === undefined) return { kind: 'ok' }; // the catalog is opt-in
      const deprecated = entry.deprecated
        ? {
            deprecated: { type, ...(entry.replacedBy === undefined ? {} : { replacedBy: entry.replacedBy }) },
          }
        : {};
      if (entry.schemaJson === undefined) return { kind: 'ok', ...deprecated };
      const error = this.validator(tenantId, entry).validate(data);
      return error ? { kind: 'invalid', error } : { kind: 'ok', ...deprecated };
    };
  }

  private validator(tenantId: string, entry: CatalogEntry): CompiledValidator {
    const key = `${tenantId}\u0000${entry.type}\u0000${entry.version}`;
    const cached = this.validators.get(key);
    if (cached) return cached;
    const started = performance.now();
    const compiled = this.compile!(JSON.parse(entry.schemaJson!));
    // Stored schemas passed the same checks when they were put; one that no longer compiles (a
    // stricter release) accepts nothing rather than everything.
    const validator: CompiledValidator = compiled.ok
      ? compiled
      : {
          validate: () => ({
            pointer: '',
            keyword: 'schema',
            message: "the type's schema no longer compiles; PUT it again",
          }),
        };
    this.options.onCompile?.({
      tenantId,
      type: entry.type,
      version: entry.version,
      ms: performance.now() - started,
    });
    this.validators.set(key, validator, entry.schemaJson!.length);
    return validator;
  }

  get sizes(): { tenants: number; validators: number; catalogBytes: number; validatorBytes: number } {
    return {
      tenants: this.tenants.size,
      validators: this.validators.size,
      catalogBytes: this.tenants.weight,
      validatorBytes: this.validators.weight,
    };
  }
}
