/**
 * The fields of a subscription, to create one or edit one, with a preview of its content filter:
 * a webhook (its signature scheme chosen at creation), an e-mail address or an AWS destination (its
 * target and the role Herald assumes, beside what that role must trust).
 */
import type { FilterTest, Subscription } from '@herald/client';
import { useState } from 'preact/hooks';
import { getExternalId, NotAvailable, testFilter } from '../api';
import { CopyButton, Field, ProblemAlert, Show, useLoad, useProblem } from '../components/ui';
import { useApp } from '../context';
import { formatTime, splitList } from '../lib/format';
import type { ProblemView } from '../lib/problems';
import {
  emptyRow,
  formatFilter,
  headerRowProblems,
  joinEventTypes,
  matchSummary,
  OPERATIONAL_EVENT_TYPES,
  parseFilter,
  parseTimeout,
  rowsOfHeaders,
  splitEventTypes,
  type ContentFilter,
  type HeaderRow,
} from '../lib/subscription-values';

export const SUBSCRIPTION_FIELDS = [
  'url',
  'email',
  'destination/arn',
  'destination/roleArn',
  'signatureScheme',
  'eventTypes',
  'filter',
  'headers',
  'timeoutSeconds',
  'description',
  'rateLimit',
  'ordering',
];

export type SubscriptionKind = Subscription['kind'];
export type SignatureScheme = 'v1' | 'v1a';

export interface SubscriptionValues {
  kind: SubscriptionKind;
  url: string;
  email: string;
  /** Webhooks only, at creation. */
  signatureScheme: SignatureScheme;
  /** AWS destinations only, at creation: the target's ARN and the role Herald assumes to reach it. */
  destinationArn: string;
  roleArn: string;
  eventTypes: string[];
  /** Undefined: no filter. */
  filter: ContentFilter | undefined;
  /** Webhooks only. */
  headers: HeaderRow[];
  /** Webhooks only; undefined: the stage's default. */
  timeoutSeconds: number | undefined;
  description: string;
  rateLimit?: number;
  /** One subject's events one at a time, in the order stored. */
  ordered: boolean;
}

const FILTER_EXAMPLE = '{"data": {"total": [{"numeric": [">", 100]}]}}';

/** Where the documentation's CloudFormation role for a destination is. */
const ROLE_DOCS = 'services/notifications/README.md, section "AWS destinations"';

export function SubscriptionForm(props: {
  initial?: Subscription;
  submitLabel: string;
  busy: boolean;
  problem: ProblemView | undefined;
  onSubmit: (values: SubscriptionValues) => void;
  onCancel: () => void;
}) {
  const { initial, problem } = props;
  const [kind, setKind] = useState<SubscriptionKind>(initial?.kind ?? 'webhook');
  const [url, setUrl] = useState(initial?.url ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [scheme, setScheme] = useState<SignatureScheme>('v1');
  const [destinationArn, setDestinationArn] = useState('');
  const [roleArn, setRoleArn] = useState('');
  // Herald's own event types are choices of their own (opt-in); the text holds the others.
  const [initialTypes] = useState(() => splitEventTypes(initial?.eventTypes ?? []));
  const [eventTypes, setEventTypes] = useState(initialTypes.typed.join('\n'));
  const [operational, setOperational] = useState<string[]>(initialTypes.operational);
  const [description, setDescription] = useState(initial?.description ?? '');
  const [rateLimit, setRateLimit] = useState(
    initial?.rateLimit === undefined ? '' : String(initial.rateLimit),
  );
  const [ordered, setOrdered] = useState(initial?.ordering === 'subject');
  const [filterText, setFilterText] = useState(formatFilter(initial?.filter));
  const [headers, setHeaders] = useState<HeaderRow[]>(rowsOfHeaders(initial?.headers));
  const [timeout, setTimeoutText] = useState(
    initial?.timeoutSeconds === undefined ? '' : String(initial.timeoutSeconds),
  );
  // What the form itself refuses before sending (a filter that is not JSON, a header without a name).
  const [local, setLocal] = useState<Record<string, string[]>>({});
  const preview = useProblem(SUBSCRIPTION_FIELDS);
  const errors: Record<string, string[] | undefined> = {
    ...(problem?.fields ?? {}),
    ...preview.problem?.fields,
    ...local,
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const limit = Number.parseInt(rateLimit, 10);
    const filter = parseFilter(filterText);
    const timeoutSeconds = parseTimeout(timeout);
    const webhook = kind === 'webhook';
    const headerProblems = webhook ? headerRowProblems(headers) : [];
    const refused: Record<string, string[]> = {
      ...(filter.ok ? {} : { filter: [filter.message] }),
      ...(webhook && !timeoutSeconds.ok ? { timeoutSeconds: [timeoutSeconds.message] } : {}),
      ...(headerProblems.length > 0 ? { headers: headerProblems } : {}),
    };
    setLocal(refused);
    if (!filter.ok || !timeoutSeconds.ok || Object.keys(refused).length > 0) return;
    props.onSubmit({
      kind,
      url: url.trim(),
      email: email.trim(),
      signatureScheme: scheme,
      destinationArn: destinationArn.trim(),
      roleArn: roleArn.trim(),
      eventTypes: joinEventTypes(splitList(eventTypes), operational),
      filter: filter.filter,
      headers: webhook ? headers : [],
      timeoutSeconds: webhook ? timeoutSeconds.seconds : undefined,
      description: description.trim(),
      ...(Number.isFinite(limit) ? { rateLimit: limit } : {}),
      ordered,
    });
  };
  return (
    <form onSubmit={submit} noValidate class="stack">
      {!initial && (
        <fieldset class="segmented">
          <legend>Deliver to</legend>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === 'webhook'}
              onChange={() => setKind('webhook')}
            />
            Webhook
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === 'email'} onChange={() => setKind('email')} />
            E-mail
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === 'aws'} onChange={() => setKind('aws')} />
            AWS destination
          </label>
        </fieldset>
      )}
      {kind === 'aws' ? (
        initial?.destination ? (
          <div class="field">
            <p class="hint" id="sub-destination-fixed">
              Delivers to <code>{initial.destination.arn}</code> through the role{' '}
              <code>{initial.destination.roleArn}</code>. The destination and its role cannot be changed: make
              a new subscription for another.
            </p>
          </div>
        ) : (
          <AwsDestinationFields
            arn={destinationArn}
            roleArn={roleArn}
            onArn={setDestinationArn}
            onRoleArn={setRoleArn}
            errors={errors}
          />
        )
      ) : kind === 'webhook' ? (
        <Field
          id="sub-url"
          label="Webhook URL"
          hint="HTTPS URL that receives signed POSTs"
          errors={errors.url}
        >
          {(describedBy, invalid) => (
            <input
              id="sub-url"
              type="url"
              required
              value={url}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setUrl(e.currentTarget.value)}
            />
          )}
        </Field>
      ) : (
        <Field
          id="sub-email"
          label="E-mail address"
          hint="It must confirm by a link we send"
          errors={errors.email}
        >
          {(describedBy, invalid) => (
            <input
              id="sub-email"
              type="email"
              required
              value={email}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          )}
        </Field>
      )}
      {kind === 'webhook' && (
        <SignatureSchemeField
          scheme={initial ? (initial.signatureScheme ?? 'v1') : scheme}
          fixed={initial !== undefined}
          onChange={setScheme}
          errors={errors.signatureScheme}
        />
      )}
      <Field
        id="sub-event-types"
        label="Event types"
        hint="One per line or comma-separated; * matches a segment: order.*"
        errors={errors.eventTypes}
      >
        {(describedBy, invalid) => (
          <textarea
            id="sub-event-types"
            rows={3}
            value={eventTypes}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => setEventTypes(e.currentTarget.value)}
          />
        )}
      </Field>
      <fieldset class="choices" aria-describedby="sub-operational-hint">
        <legend>Herald&apos;s own events (opt-in)</legend>
        <p class="hint" id="sub-operational-hint">
          Herald&apos;s events about your subscriptions and uploads. <code>*</code> and prefixes never include
          them: tick each one to receive. None about this subscription is sent to it.
        </p>
        {OPERATIONAL_EVENT_TYPES.map((type) => (
          <label key={type} class="inline">
            <input
              type="checkbox"
              checked={operational.includes(type)}
              onChange={(e) =>
                setOperational(
                  e.currentTarget.checked
                    ? [...operational, type]
                    : operational.filter((chosen) => chosen !== type),
                )
              }
            />{' '}
            <code>{type}</code>
          </label>
        ))}
      </fieldset>
      <Field
        id="sub-filter"
        label="Filter"
        hint={`Optional. An EventBridge event pattern over the event's type, source, subject and data; only events it matches are delivered. Empty: every event of the types. Example: ${FILTER_EXAMPLE}`}
        errors={errors.filter}
      >
        {(describedBy, invalid) => (
          <textarea
            id="sub-filter"
            class="code"
            rows={Math.min(12, Math.max(4, filterText.split('\n').length))}
            spellcheck={false}
            value={filterText}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => {
              setFilterText(e.currentTarget.value);
              // A preview's refusal was about the text as it was.
              preview.setProblem(undefined);
            }}
          />
        )}
      </Field>
      <FilterPreview
        filterText={filterText}
        eventTypes={eventTypes}
        preview={preview}
        onRefused={(message) => setLocal(message ? { filter: [message] } : {})}
      />
      {kind === 'webhook' && (
        <>
          <HeadersField rows={headers} onChange={setHeaders} errors={errors.headers} />
          <Field
            id="sub-timeout"
            label="Timeout (seconds)"
            hint="How long each attempt waits for your receiver's answer; empty for the default"
            errors={errors.timeoutSeconds}
          >
            {(describedBy, invalid) => (
              <input
                id="sub-timeout"
                type="number"
                min={1}
                inputMode="numeric"
                value={timeout}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onInput={(e) => setTimeoutText(e.currentTarget.value)}
              />
            )}
          </Field>
        </>
      )}
      <Field id="sub-description" label="Description (optional)" errors={errors.description}>
        {(describedBy, invalid) => (
          <input
            id="sub-description"
            value={description}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field
        id="sub-rate-limit"
        label="Rate limit (optional)"
        hint="Deliveries per second at most"
        errors={errors.rateLimit}
      >
        {(describedBy, invalid) => (
          <input
            id="sub-rate-limit"
            type="number"
            min={1}
            inputMode="numeric"
            value={rateLimit}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => setRateLimit(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field
        id="sub-ordering"
        label="In order per subject"
        hint="Events of one subject one at a time, in the order Herald stored them: a later one waits until the one before it succeeded or failed for good"
        errors={errors.ordering}
      >
        {(describedBy, invalid) => (
          <input
            id="sub-ordering"
            type="checkbox"
            checked={ordered}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setOrdered(e.currentTarget.checked)}
          />
        )}
      </Field>
      <div class="actions">
        <button type="submit" class="primary" disabled={props.busy}>
          {props.submitLabel}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * "Preview matches": which of the tenant's recent stored events the filter and the form's event
 * types match (POST /v1/subscriptions/test-filter). A refused pattern's messages go to the Filter field.
 */
function FilterPreview(props: {
  filterText: string;
  eventTypes: string;
  preview: ReturnType<typeof useProblem>;
  onRefused: (message: string | undefined) => void;
}) {
  const { api } = useApp();
  const { problem, busy, run } = props.preview;
  const [result, setResult] = useState<FilterTest | undefined>();
  const [unavailable, setUnavailable] = useState<string | undefined>();
  const test = async () => {
    setResult(undefined);
    setUnavailable(undefined);
    const filter = parseFilter(props.filterText);
    if (!filter.ok) return props.onRefused(filter.message);
    props.onRefused(undefined);
    const types = splitList(props.eventTypes);
    const answer = await run(() =>
      testFilter(api, {
        // No filter matches every event of the types: the preview shows what the types alone match.
        filter: filter.filter ?? {},
        ...(types.length > 0 ? { eventTypes: types } : {}),
      }).catch((error: unknown) => {
        // A stage without the route: the form still works, without a preview.
        if (!(error instanceof NotAvailable)) throw error;
        setUnavailable(error.message);
        return undefined;
      }),
    );
    if (answer) setResult(answer);
  };
  const summary = result && matchSummary(result);
  return (
    <div class="preview">
      <button type="button" disabled={busy} onClick={test}>
        Preview matches
      </button>
      {/* Only what no field shows: the refused pattern's messages are under the Filter field. */}
      {problem && Object.keys(problem.fields).length === 0 && <ProblemAlert problem={problem} />}
      <div role="status">
        {unavailable && <p class="notice">Not available: {unavailable}</p>}
        {summary && (
          <>
            <p>
              <strong>{summary.summary}</strong>
              {summary.truncated && <span class="muted"> {summary.truncated}</span>}
            </p>
            {result.matched.length > 0 && (
              <table>
                <caption class="visually-hidden">Recent events the filter matches</caption>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Type</th>
                    <th scope="col">Time</th>
                  </tr>
                </thead>
                <tbody>
                  {result.matched.map((event) => (
                    <tr key={event.id}>
                      <td>
                        <code>{event.id}</code>
                      </td>
                      <td>{event.type}</td>
                      <td>{formatTime(event.time)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </div>
    </div>
  );
}

/**
 * Custom headers: one row each (name, value, secret). A secret header the subscription has shows as
 * "secret (set)", never a value: it is kept, replaced (a new value) or removed.
 */
function HeadersField(props: {
  rows: HeaderRow[];
  onChange: (rows: HeaderRow[]) => void;
  errors: string[] | undefined;
}) {
  const { rows, onChange, errors } = props;
  const update = (key: string, change: Partial<HeaderRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  const remove = (key: string) => onChange(rows.filter((row) => row.key !== key));
  const describedBy = ['sub-headers-hint', errors?.length ? 'sub-headers-error' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <fieldset class="headers" aria-describedby={describedBy}>
      <legend>Custom headers</legend>
      <p class="hint" id="sub-headers-hint">
        Sent with every attempt, e.g. Authorization. A secret value is kept encrypted and never shown again.
      </p>
      {rows.map((row, index) => {
        const n = index + 1;
        const label = row.name.trim() || `header ${n}`;
        return (
          <div class="header-row" key={row.key}>
            {row.stored ? (
              <>
                <span class="header-name">
                  <code>{row.name}</code>
                </span>
                {row.stored.replace ? (
                  <input
                    type="password"
                    autocomplete="new-password"
                    aria-label={`New value of ${label}`}
                    value={row.value}
                    onInput={(e) => update(row.key, { value: e.currentTarget.value })}
                  />
                ) : (
                  <span class="muted">secret (set)</span>
                )}
                <button
                  type="button"
                  onClick={() => update(row.key, { stored: { replace: !row.stored!.replace }, value: '' })}
                >
                  {row.stored.replace ? `Keep ${label}` : `Replace ${label}`}
                </button>
              </>
            ) : (
              <>
                <input
                  aria-label={`Header ${n} name`}
                  placeholder="Name"
                  autocomplete="off"
                  value={row.name}
                  onInput={(e) => update(row.key, { name: e.currentTarget.value })}
                />
                {row.secret ? (
                  <input
                    type="password"
                    autocomplete="new-password"
                    aria-label={`Header ${n} value`}
                    placeholder="Value"
                    value={row.value}
                    onInput={(e) => update(row.key, { value: e.currentTarget.value })}
                  />
                ) : (
                  <input
                    autocomplete="off"
                    aria-label={`Header ${n} value`}
                    placeholder="Value"
                    value={row.value}
                    onInput={(e) => update(row.key, { value: e.currentTarget.value })}
                  />
                )}
                <label class="inline">
                  <input
                    type="checkbox"
                    checked={row.secret}
                    aria-label={`Header ${n} secret`}
                    onChange={(e) => update(row.key, { secret: e.currentTarget.checked })}
                  />{' '}
                  secret
                </label>
              </>
            )}
            <button type="button" onClick={() => remove(row.key)}>
              Remove {label}
            </button>
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...rows, emptyRow()])}>
        Add header
      </button>
      {errors && errors.length > 0 && (
        <p class="field-error" id="sub-headers-error">
          {errors.join('; ')}
        </p>
      )}
    </fieldset>
  );
}

/**
 * A webhook's signature scheme: chosen at creation (PATCH cannot change it), so on edit it is shown,
 * not offered.
 */
function SignatureSchemeField(props: {
  scheme: SignatureScheme;
  fixed: boolean;
  onChange: (scheme: SignatureScheme) => void;
  errors: string[] | undefined;
}) {
  const { scheme, fixed, errors } = props;
  const describedBy = ['sub-scheme-hint', errors?.length ? 'sub-scheme-error' : ''].filter(Boolean).join(' ');
  return (
    <fieldset class="choices" aria-describedby={describedBy}>
      <legend>Signature scheme</legend>
      <p class="hint" id="sub-scheme-hint">
        With v1 your receiver holds the same secret Herald signs with; with v1a Herald signs with a private
        key it keeps, and your receiver checks with a public key that cannot sign, so no one who has it can
        forge a webhook.
        {fixed ? ' Chosen at creation: make a new subscription to change it.' : ''}
      </p>
      {fixed ? (
        <p>
          <strong>{scheme === 'v1a' ? 'v1a: Ed25519 public key' : 'v1: shared secret (HMAC)'}</strong>
        </p>
      ) : (
        <>
          <label class="inline">
            <input
              type="radio"
              name="scheme"
              checked={scheme === 'v1'}
              onChange={() => props.onChange('v1')}
            />{' '}
            v1: shared secret (HMAC)
          </label>
          <label class="inline">
            <input
              type="radio"
              name="scheme"
              checked={scheme === 'v1a'}
              onChange={() => props.onChange('v1a')}
            />{' '}
            v1a: Ed25519 public key
          </label>
        </>
      )}
      {errors && errors.length > 0 && (
        <p class="field-error" id="sub-scheme-error">
          {errors.join('; ')}
        </p>
      )}
    </fieldset>
  );
}

/**
 * An AWS destination's target and role, beside what the role must name: the tenant's ExternalId
 * (made by Herald), the path its name must be under and Herald's roles its trust policy must allow
 * (GET /v1/destinations/external-id).
 */
function AwsDestinationFields(props: {
  arn: string;
  roleArn: string;
  onArn: (value: string) => void;
  onRoleArn: (value: string) => void;
  errors: Record<string, string[] | undefined>;
}) {
  const { api } = useApp();
  const [trust] = useLoad(() => getExternalId(api), []);
  return (
    <div class="destination">
      <div class="stack">
        <Field
          id="sub-destination-arn"
          label="Destination ARN"
          hint="An SQS queue, SNS topic, EventBridge bus or Kinesis stream, in any account"
          errors={props.errors['destination/arn']}
        >
          {(describedBy, invalid) => (
            <input
              id="sub-destination-arn"
              required
              spellcheck={false}
              autocomplete="off"
              placeholder="arn:aws:sqs:eu-west-1:123456789012:orders"
              value={props.arn}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => props.onArn(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          id="sub-role-arn"
          label="Role ARN"
          hint="The role Herald assumes to send there, created in the destination's account as described beside"
          errors={props.errors['destination/roleArn']}
        >
          {(describedBy, invalid) => (
            <input
              id="sub-role-arn"
              required
              spellcheck={false}
              autocomplete="off"
              placeholder="arn:aws:iam::123456789012:role/herald-destinations/orders-from-herald"
              value={props.roleArn}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => props.onRoleArn(e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      <section class="trust" aria-labelledby="trust-heading">
        <h3 id="trust-heading">What the role must trust</h3>
        <Show loaded={trust}>
          {(value) => (
            <>
              <dl class="details">
                <dt>ExternalId</dt>
                <dd>
                  <code aria-label="ExternalId">{value.externalId}</code>{' '}
                  <CopyButton text={value.externalId} label="Copy ExternalId" />
                </dd>
                <dt>Role path</dt>
                <dd>
                  <code aria-label="Role path">{value.rolePath}</code>{' '}
                  <CopyButton text={value.rolePath} label="Copy role path" />
                </dd>
                {value.principals && value.principals.length > 0 && (
                  <>
                    <dt>Principals to trust</dt>
                    <dd>
                      <ul class="plain">
                        {value.principals.map((principal) => (
                          <li key={principal}>
                            <code class="wrap">{principal}</code>
                          </li>
                        ))}
                      </ul>
                      <CopyButton text={value.principals.join('\n')} label="Copy principals" />
                    </dd>
                  </>
                )}
              </dl>
              <p class="hint">
                The role&apos;s name must be under the path; its trust policy allows{' '}
                <code>sts:AssumeRole</code> to these principals on the condition <code>sts:ExternalId</code>{' '}
                equals the ExternalId, and its permission policy the send action of the target
                (sqs:SendMessage, sns:Publish, events:PutEvents or kinesis:PutRecord). Herald tests the
                connection before it creates the subscription. A CloudFormation template of the role:{' '}
                {ROLE_DOCS}.
              </p>
            </>
          )}
        </Show>
      </section>
    </div>
  );
}
