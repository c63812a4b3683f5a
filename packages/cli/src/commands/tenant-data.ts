/** herald export start | get, herald erase --subject S and herald erasure get: a tenant's own data */
import type { SubjectErasure, TenantExport } from '@herald/client';
import type { Command, Context } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import { fields, table } from '../format';

const exportId = { min: 1, max: 1, names: 'EXPORT_ID' };
const requestId = { min: 1, max: 1, names: 'REQUEST_ID' };

function showExport(context: Context, shown: TenantExport) {
  if (context.json) return context.out(JSON.stringify(shown));
  const { files, ...rest } = shown;
  context.out(
    fields({ ...rest, answered: rest.answered.join(', '), waitingFor: rest.waitingFor.join(', ') }),
  );
  if (files && files.length > 0)
    context.out(
      table(files, [
        { header: 'service', value: (file) => file.service },
        { header: 'records', value: (file) => String(file.records) },
        { header: 'bytes', value: (file) => String(file.bytes) },
        { header: 'url', value: (file) => file.url },
      ]),
    );
}

function showErasure(context: Context, shown: SubjectErasure) {
  if (context.json) return context.out(JSON.stringify(shown));
  const { counts, ...rest } = shown;
  context.out(
    fields({ ...rest, answered: rest.answered.join(', '), waitingFor: rest.waitingFor.join(', ') }),
  );
  const rows = Object.entries(counts).flatMap(([service, stores]) =>
    Object.entries(stores).map(([store, count]) => ({ service, store, count })),
  );
  if (rows.length > 0)
    context.out(
      table(rows, [
        { header: 'service', value: (row) => row.service },
        { header: 'store', value: (row) => row.store },
        { header: 'erased', value: (row) => String(row.count) },
      ]),
    );
}

export const startExport: Command = {
  words: ['export', 'start'],
  summary: "Export your tenant's data as NDJSON files",
  usage: '',
  details: `Every service writes what it holds of the tenant; follow it with herald export get EXPORT_ID
until it is ready. At most 2 exports run at once. Needs scope tenant:export.`,
  async run(context) {
    const started = await context.client().tenant.startExport();
    context.out(context.json ? JSON.stringify(started) : fields({ ...started }));
    return EXIT.ok;
  },
};

export const getExport: Command = {
  words: ['export', 'get'],
  summary: 'Show an export: pending, or ready with a download URL per file',
  usage: 'EXPORT_ID',
  positionals: exportId,
  details:
    'Each URL works for 15 minutes, without a token; ask again for new ones. Needs scope tenant:export.',
  async run(context, _values, [id]) {
    showExport(context, await context.client().tenant.getExport(id!));
    return EXIT.ok;
  },
};

export const erase: Command = {
  words: ['erase'],
  summary: "Erase one subject's events and what was derived from them, everywhere",
  usage: '--subject SUBJECT',
  options: {
    subject: {
      type: 'string',
      valueName: 'SUBJECT',
      description: "the events' envelope subject, as they carried it (required)",
    },
  },
  details: `Every service erases the tenant's events of that subject, their deliveries and ordering
state; the tenant's export files are deleted too. Follow it with herald erasure get REQUEST_ID.
Needs scope tenant:erase.`,
  async run(context, values) {
    const subject = values.subject as string | undefined;
    if (subject === undefined || subject === '') throw new UsageError('--subject is required');
    const started = await context.client().tenant.eraseSubject(subject);
    context.out(context.json ? JSON.stringify(started) : fields({ ...started }));
    return EXIT.ok;
  },
};

export const getErasure: Command = {
  words: ['erasure', 'get'],
  summary: 'Show an erasure: pending, or done with what each service erased',
  usage: 'REQUEST_ID',
  positionals: requestId,
  async run(context, _values, [id]) {
    showErasure(context, await context.client().tenant.getErasure(id!));
    return EXIT.ok;
  },
};
