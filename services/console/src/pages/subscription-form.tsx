/** The fields of a subscription, to create one or edit one. */
import type { Subscription } from '@herald/client';
import { useState } from 'preact/hooks';
import { Field } from '../components/ui';
import { splitList } from '../lib/format';
import type { ProblemView } from '../lib/problems';

export const SUBSCRIPTION_FIELDS = ['url', 'email', 'eventTypes', 'description', 'rateLimit'];

export interface SubscriptionValues {
  kind: 'webhook' | 'email';
  url: string;
  email: string;
  eventTypes: string[];
  description: string;
  rateLimit?: number;
}

export function SubscriptionForm(props: {
  initial?: Subscription;
  submitLabel: string;
  busy: boolean;
  problem: ProblemView | undefined;
  onSubmit: (values: SubscriptionValues) => void;
  onCancel: () => void;
}) {
  const { initial, problem } = props;
  const [kind, setKind] = useState<'webhook' | 'email'>(initial?.kind ?? 'webhook');
  const [url, setUrl] = useState(initial?.url ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [eventTypes, setEventTypes] = useState((initial?.eventTypes ?? []).join('\n'));
  const [description, setDescription] = useState(initial?.description ?? '');
  const [rateLimit, setRateLimit] = useState(
    initial?.rateLimit === undefined ? '' : String(initial.rateLimit),
  );
  const errors = problem?.fields ?? {};
  const submit = (event: Event) => {
    event.preventDefault();
    const limit = Number.parseInt(rateLimit, 10);
    props.onSubmit({
      kind,
      url: url.trim(),
      email: email.trim(),
      eventTypes: splitList(eventTypes),
      description: description.trim(),
      ...(Number.isFinite(limit) ? { rateLimit: limit } : {}),
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
        </fieldset>
      )}
      {kind === 'webhook' ? (
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
            required
            value={eventTypes}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => setEventTypes(e.currentTarget.value)}
          />
        )}
      </Field>
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
