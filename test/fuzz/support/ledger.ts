/**
 * Every event a producer was told was accepted (202, or `accepted` in a 207), with the data it
 * was sent with, as the server read it: the bytes decoded as UTF-8 and parsed as JSON. Canonical
 * JSON (RFC 8785) makes two spellings of the same data compare equal. An id accepted twice (a
 * producer's own id, sent again) may have been sent with different data: the first stored wins,
 * so each id keeps every candidate.
 */
import canonicalize from 'canonicalize';
import type { Answer } from './http';

export type TenantKey = 'producer' | 'producerNeighbour';

export class Ledger {
  private readonly accepted = new Map<TenantKey, Map<string, Set<string>>>();

  record(tenant: TenantKey, id: string, data: unknown): void {
    let ids = this.accepted.get(tenant);
    if (!ids) this.accepted.set(tenant, (ids = new Map()));
    let candidates = ids.get(id);
    if (!candidates) ids.set(id, (candidates = new Set()));
    candidates.add(canonicalJson(data));
  }

  ids(tenant: TenantKey): Map<string, Set<string>> {
    return this.accepted.get(tenant) ?? new Map();
  }

  get size(): number {
    let total = 0;
    for (const ids of this.accepted.values()) total += ids.size;
    return total;
  }

  /** Records what a POST /v1/events answer accepted, taking the data from the body as sent. */
  recordAnswer(tenant: TenantKey, sent: Buffer, answer: Answer): void {
    if (answer.status !== 202 && answer.status !== 207) return;
    const parsed = JSON.parse(sent.toString('utf8')) as { events?: Array<{ data: unknown }>; data?: unknown };
    const events = Array.isArray(parsed.events) ? parsed.events : [parsed as { data: unknown }];
    const reply = JSON.parse(answer.body) as {
      ids: string[];
      events?: Array<{ id: string; status: string }>;
    };
    reply.ids.forEach((id, index) => {
      const status = reply.events?.[index]?.status ?? 'accepted';
      if (status === 'accepted') this.record(tenant, id, events[index]?.data);
    });
  }
}

export const canonicalJson = (value: unknown): string => canonicalize(value) ?? 'undefined';
