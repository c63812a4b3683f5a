/** herald audit list: the tenant's audit log, a page at a time or whole (--all) */
import type { AuditEntry, AuditQuery } from '@herald/client';
import type { Command } from '../command';
import { EXIT } from '../exit-codes';
import { table } from '../format';
import { positiveInteger } from '../input';

export const list: Command = {
  words: ['audit', 'list'],
  summary: "List the tenant's audit log, newest first (who changed what, when, from where)",
  usage:
    '[--action A] [--resource-type T [--resource-id ID]] [--actor SUB] [--since T --until T] [--limit N] [--cursor C | --all]',
  options: {
    action: {
      type: 'string',
      valueName: 'ACTION',
      description: 'only this action, e.g. subscription.created',
    },
    'resource-type': {
      type: 'string',
      valueName: 'TYPE',
      description:
        'only this kind: subscription, replay, delivery, event_type, api_key, portal_token, tenant',
    },
    'resource-id': {
      type: 'string',
      valueName: 'ID',
      description: 'only this resource (with --resource-type)',
    },
    actor: {
      type: 'string',
      valueName: 'SUB',
      description: "only this actor: a token's sub, or key:<keyId>",
    },
    since: { type: 'string', valueName: 'TIME', description: 'from (RFC 3339, with --until)' },
    until: { type: 'string', valueName: 'TIME', description: 'before (RFC 3339, with --since)' },
    limit: { type: 'string', valueName: 'N', description: 'entries per page, 1-100 (50 by default)' },
    cursor: { type: 'string', valueName: 'CURSOR', description: 'the page after the one that printed it' },
    all: { type: 'boolean', description: 'every page, following the cursor to the end' },
  },
  details: `Without --all, one page; the next page's cursor goes to stderr ("next page: --cursor …"),
and with --json as a last line {"nextCursor": …}. Needs scope audit:read. Entries appear seconds
after their change.`,
  async run(context, values) {
    const pageSize = positiveInteger(values.limit, 'limit');
    const query = {
      ...(typeof values.action === 'string' && { action: values.action }),
      ...(typeof values['resource-type'] === 'string' && { resourceType: values['resource-type'] }),
      ...(typeof values['resource-id'] === 'string' && { resourceId: values['resource-id'] }),
      ...(typeof values.actor === 'string' && { actor: values.actor }),
      ...(typeof values.since === 'string' && { since: values.since }),
      ...(typeof values.until === 'string' && { until: values.until }),
      ...(pageSize !== undefined && { pageSize }),
    } as AuditQuery; // the API checks action and resourceType's values, and names a bad one
    const client = context.client();
    const rows: AuditEntry[] = [];
    let nextCursor: string | undefined;
    if (values.all === true) {
      for await (const entry of client.audit.list(query)) {
        if (context.json) context.out(JSON.stringify(entry));
        else rows.push(entry);
      }
    } else {
      const page = await client.audit.page(query, values.cursor as string | undefined);
      nextCursor = page.nextCursor;
      if (context.json) page.items.forEach((entry) => context.out(JSON.stringify(entry)));
      else rows.push(...page.items);
    }
    if (!context.json)
      context.out(
        rows.length === 0
          ? 'No audit entries.'
          : table(rows, [
              { header: 'at', value: (row) => row.at },
              { header: 'action', value: (row) => row.action },
              { header: 'resource', value: (row) => `${row.resource.type}/${row.resource.id}` },
              { header: 'actor', value: (row) => row.actor.subject },
              { header: 'source ip', value: (row) => row.source.ip },
              { header: 'correlation id', value: (row) => row.correlationId },
            ]),
      );
    if (nextCursor !== undefined) {
      if (context.json) context.out(JSON.stringify({ nextCursor }));
      else context.note(`next page: --cursor ${nextCursor}`);
    }
    return EXIT.ok;
  },
};
