/**
 * SES v2 REST JSON: `POST /v2/email/outbound-emails` is SendEmail.
 *
 * ses:SendEmail is authorized on the sending identity's ARN (`identity/<domain or address>`) and, when
 * the mail goes through a configuration set, on the configuration set's ARN too (Service Authorization
 * Reference, "Actions, resources, and condition keys for Amazon SES": SendEmail acts on identity*,
 * configuration-set and template; SES Developer Guide, "Controlling access to Amazon SES"). The identity
 * is `FromEmailAddressIdentityArn` when given, else the From address's domain: the facts do not list
 * SES identities, and Herald verifies a domain. Condition keys: `ses:FromAddress`,
 * `ses:FromDisplayName`, `ses:Recipients` (every To, Cc and Bcc address) and `ses:ApiVersion` = 2.
 */
import type { AuthorizationRequest } from '../types';
import { type HttpCall, type Interpretation, UnknownCall, jsonBody, request, str } from './common';

/** `"Name" <a@b>` or `a@b` → its address and display name. */
function parseAddress(from: string): { address: string; displayName?: string } {
  const angle = /^\s*(?:"?([^"<]*?)"?\s*)?<([^>]+)>\s*$/.exec(from);
  if (angle)
    return { address: angle[2]!.trim(), ...(angle[1]?.trim() ? { displayName: angle[1].trim() } : {}) };
  return { address: from.trim() };
}

export function interpretSes(call: HttpCall, i: Interpretation) {
  const path = new URL(call.path, 'http://localhost').pathname;
  const operation =
    call.method === 'POST' && path === '/v2/email/outbound-emails' ? 'SendEmail' : `${call.method} ${path}`;
  if (operation !== 'SendEmail') throw new UnknownCall('ses', operation);
  const params = jsonBody('ses', operation, call);
  const from = str(params.FromEmailAddress);
  const identityArn = str(params.FromEmailAddressIdentityArn);
  if (!from && !identityArn) throw new UnknownCall('ses', operation, 'it names no sender');
  const { address, displayName } = parseAddress(from ?? '');
  const destination = (params.Destination ?? {}) as Record<string, unknown>;
  const recipients = ['ToAddresses', 'CcAddresses', 'BccAddresses'].flatMap((field) =>
    Array.isArray(destination[field])
      ? (destination[field] as string[]).map((a) => parseAddress(a).address)
      : [],
  );
  const context = {
    ...i.base,
    'ses:ApiVersion': '2',
    ...(address ? { 'ses:FromAddress': address } : {}),
    ...(displayName ? { 'ses:FromDisplayName': displayName } : {}),
    ...(recipients.length ? { 'ses:Recipients': recipients } : {}),
  };
  const identity = request(
    'ses',
    'SendEmail',
    'identity',
    { IdentityName: address.split('@').at(-1) ?? address },
    context,
    i.facts,
  );
  const requests: AuthorizationRequest[] = [identityArn ? { ...identity, resource: identityArn } : identity];
  const configurationSet = str(params.ConfigurationSetName);
  if (configurationSet)
    requests.push(
      request(
        'ses',
        'SendEmail',
        'configuration-set',
        { ConfigurationSetName: configurationSet },
        context,
        i.facts,
      ),
    );
  return { operation, requests };
}
