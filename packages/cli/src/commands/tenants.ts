/** herald tenant show (the caller's own) and herald tenants … (operators, scope tenants:admin) */
import type { Tenant, TenantSettings } from '@herald/client';
import type { Command, Context, Values } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import { fields, table } from '../format';

const tenantId = { min: 1, max: 1, names: 'TENANT_ID' };

function showTenant(context: Context, tenant: Tenant) {
  context.out(context.json ? JSON.stringify(tenant) : fields({ ...tenant }));
}

/** --settings' JSON: an object (on update a JSON merge patch, where null removes a member). */
function settingsOption(values: Values): TenantSettings | undefined {
  const given = values.settings;
  if (typeof given !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(given);
  } catch {
    throw new UsageError('--settings must be JSON, e.g. --settings \'{"retentionDays":7}\'');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError('--settings must be a JSON object');
  return parsed as TenantSettings;
}

const settings = {
  type: 'string',
  valueName: 'JSON',
  description: 'settings: limits, retentionDays, allowedDestinations (JSON)',
} as const;

export const show: Command = {
  words: ['tenant', 'show'],
  summary: 'Show your tenant: its status and settings',
  usage: '',
  async run(context) {
    showTenant(context, await context.client().tenant.get());
    return EXIT.ok;
  },
};

export const create: Command = {
  words: ['tenants', 'create'],
  summary: 'Create a tenant (operators)',
  usage: 'TENANT_ID [--name NAME] [--settings JSON]',
  positionals: tenantId,
  options: { name: { type: 'string', valueName: 'NAME', description: 'its name' }, settings },
  details: `TENANT_ID is what its tokens carry in their tenant claim. Settings left out take the stage's
defaults. Needs scope tenants:admin.

Example:
  herald tenants create acme --name "Acme" --settings '{"limits":{"maxSubscriptions":50}}'`,
  async run(context, values, [id]) {
    const given = settingsOption(values);
    showTenant(
      context,
      await context.client().tenants.create({
        id: id!,
        ...(typeof values.name === 'string' && { name: values.name }),
        ...(given && { settings: given }),
      }),
    );
    return EXIT.ok;
  },
};

export const list: Command = {
  words: ['tenants', 'list'],
  summary: 'List every tenant (operators)',
  usage: '',
  details: 'With --json, one tenant per line (NDJSON). Needs scope tenants:admin.',
  async run(context) {
    const rows: Tenant[] = [];
    for await (const tenant of context.client().tenants.list({ pageSize: 100 })) {
      if (context.json) context.out(JSON.stringify(tenant));
      else rows.push(tenant);
    }
    if (!context.json)
      context.out(
        rows.length === 0
          ? 'No tenants.'
          : table(rows, [
              { header: 'id', value: (row) => row.id },
              { header: 'name', value: (row) => row.name },
              { header: 'status', value: (row) => row.status },
              { header: 'created', value: (row) => row.createdAt },
            ]),
      );
    return EXIT.ok;
  },
};

export const get: Command = {
  words: ['tenants', 'get'],
  summary: 'Show one tenant and its settings (operators)',
  usage: 'TENANT_ID',
  positionals: tenantId,
  async run(context, _values, [id]) {
    showTenant(context, await context.client().tenants.get(id!));
    return EXIT.ok;
  },
};

export const update: Command = {
  words: ['tenants', 'update'],
  summary: "Change a tenant's name or settings (operators)",
  usage: 'TENANT_ID [--name NAME] [--settings JSON]',
  positionals: tenantId,
  options: { name: { type: 'string', valueName: 'NAME', description: 'its new name' }, settings },
  details: `--settings is a JSON merge patch: members given replace theirs (limits merge limit by
limit), null removes one, e.g. --settings '{"retentionDays":null,"limits":{"dailyEmailCap":500}}'.`,
  async run(context, values, [id]) {
    const given = settingsOption(values);
    if (typeof values.name !== 'string' && given === undefined)
      throw new UsageError('nothing to change: give --name or --settings');
    showTenant(
      context,
      await context.client().tenants.update(id!, {
        ...(typeof values.name === 'string' && { name: values.name }),
        ...(given && { settings: given }),
      }),
    );
    return EXIT.ok;
  },
};

export const suspend: Command = {
  words: ['tenants', 'suspend'],
  summary: 'Suspend a tenant: every route refuses it, its deliveries are held (operators)',
  usage: 'TENANT_ID',
  positionals: tenantId,
  async run(context, _values, [id]) {
    showTenant(context, await context.client().tenants.suspend(id!));
    return EXIT.ok;
  },
};

export const resume: Command = {
  words: ['tenants', 'resume'],
  summary: 'Resume a suspended tenant (operators)',
  usage: 'TENANT_ID',
  positionals: tenantId,
  async run(context, _values, [id]) {
    showTenant(context, await context.client().tenants.resume(id!));
    return EXIT.ok;
  },
};

export const remove: Command = {
  words: ['tenants', 'delete'],
  summary: 'Delete a tenant: refused from then on, its data erased by every service (operators)',
  usage: 'TENANT_ID --yes',
  positionals: tenantId,
  options: { yes: { type: 'boolean', description: 'confirm: this cannot be undone' } },
  details: `Its record stays, status deleted, so its id is never taken again; each service erases the
tenant's data (driven by tenant.deleted on the bus). Without --yes nothing is done.`,
  async run(context, values, [id]) {
    if (values.yes !== true) throw new UsageError(`deleting ${id} cannot be undone: add --yes to confirm`);
    await context.client().tenants.delete(id!);
    if (context.json) context.out(JSON.stringify({ id, deleted: true }));
    else context.note(`Deleted ${id}.`);
    return EXIT.ok;
  },
};
