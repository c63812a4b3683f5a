import { useState } from 'preact/hooks';
import { Field, ProblemAlert, useProblem } from '../components/ui';
import { useApp } from '../context';
import { problemView } from '../lib/problems';

const FIELDS = ['type', 'data', 'subject'];

export default function SendTestEvent() {
  const { api } = useApp();
  const [type, setType] = useState('test.ping');
  const [subject, setSubject] = useState('');
  const [data, setData] = useState('{\n  "hello": "world"\n}');
  const [dataError, setDataError] = useState<string | undefined>();
  const [sentId, setSentId] = useState<string | undefined>();
  const { problem, setProblem, busy, run } = useProblem(FIELDS);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSentId(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
      setDataError(undefined);
    } catch (error) {
      setDataError(`Not JSON: ${(error as Error).message}`);
      return;
    }
    const result = await run(() =>
      api.sendEvents(
        [{ type: type.trim(), data: parsed, ...(subject.trim() ? { subject: subject.trim() } : {}) }],
        {
          maxAttempts: 1,
        },
      ),
    );
    const first = result?.results[0];
    if (!first) return;
    if (first.status === 'accepted') setSentId(first.id);
    else {
      // sendEvents reports a refused event in its result rather than throwing: show its problem.
      const view = problemView(first.error, FIELDS);
      // The pointers of a single event are /body/<field>, of a batch /body/events/0/<field>.
      for (const item of view.unplaced.splice(0)) {
        const match = /^\/body\/events\/0\/([^/]+)/.exec(item.pointer);
        if (match && FIELDS.includes(match[1]!)) (view.fields[match[1]!] ??= []).push(item.message);
        else view.unplaced.push(item);
      }
      setProblem(view);
    }
  };

  return (
    <>
      <h1>Send test event</h1>
      <p>Sends one event to your tenant, as a producer would; matching subscriptions receive it.</p>
      <form onSubmit={submit} noValidate>
        <Field
          id="event-type"
          label="Event type"
          hint="Lower case, dotted: order.created"
          errors={problem?.fields.type}
        >
          {(describedBy, invalid) => (
            <input
              id="event-type"
              name="type"
              required
              value={type}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setType(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="event-subject" label="Subject (optional)" errors={problem?.fields.subject}>
          {(describedBy, invalid) => (
            <input
              id="event-subject"
              name="subject"
              value={subject}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setSubject(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          id="event-data"
          label="Data (JSON)"
          errors={[...(dataError ? [dataError] : []), ...(problem?.fields.data ?? [])]}
        >
          {(describedBy, invalid) => (
            <textarea
              id="event-data"
              name="data"
              rows={8}
              class="code"
              value={data}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setData(e.currentTarget.value)}
            />
          )}
        </Field>
        <ProblemAlert problem={problem} />
        <button type="submit" class="primary" disabled={busy}>
          Send event
        </button>
      </form>
      {sentId && (
        <p role="status" class="success">
          Event sent. Its id: <code>{sentId}</code> (
          <a href={`/events/${encodeURIComponent(sentId)}`}>view it</a>)
        </p>
      )}
    </>
  );
}
