/** Small building blocks shared by the pages: problems, fields, dialogs, secrets, loading. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { NotAvailable } from '../api';
import { useApp } from '../context';
import { isUnauthorized, problemView, type ProblemView } from '../lib/problems';

/** A problem the API answered, with its refused values no field shows. */
export function ProblemAlert({ problem }: { problem: ProblemView | undefined }) {
  if (!problem) return null;
  return (
    <div class="problem" role="alert">
      <p class="problem-title">
        <strong>{problem.title}</strong>
        {problem.status ? ` (HTTP ${problem.status})` : ''}
      </p>
      {problem.detail && <p>{problem.detail}</p>}
      {problem.unplaced.length > 0 && (
        <ul>
          {problem.unplaced.map(({ pointer, message }) => (
            <li key={pointer + message}>
              <code>{pointer}</code>: {message}
            </li>
          ))}
        </ul>
      )}
      {problem.correlationId && <p class="muted">Correlation id: {problem.correlationId}</p>}
    </div>
  );
}

/** A labelled field with its hint and the API's messages about its value. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  errors?: string[] | undefined;
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}) {
  const { id, label, hint, errors } = props;
  const describedBy = [hint ? `${id}-hint` : '', errors?.length ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {props.children(describedBy || undefined, Boolean(errors?.length))}
      {errors &&
        errors.length > 0 &&
        // Several messages (a role that could not be assumed: every check STS's one answer stands for)
        // read better as a list.
        (errors.length === 1 ? (
          <p class="field-error" id={`${id}-error`}>
            {errors[0]}
          </p>
        ) : (
          <ul class="field-error" id={`${id}-error`}>
            {errors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        ))}
    </div>
  );
}

/**
 * Runs a call of the API for a page: the problem it failed with (shown by the page), and a 401
 * ends the session.
 */
export function useProblem(fields: readonly string[] = []) {
  const { expire } = useApp();
  const [problem, setProblem] = useState<ProblemView | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async <T,>(call: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setProblem(undefined);
    try {
      return await call();
    } catch (error) {
      if (isUnauthorized(error)) expire();
      else setProblem(problemView(error, fields));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { problem, setProblem, busy, run };
}

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ready'; value: T }
  | { state: 'failed'; problem: ProblemView }
  | { state: 'unavailable'; message: string };

/** Loads what a page shows, again when `deps` change or `reload` is called. */
/**
 * A value loaded for the page, and a way to have it again: `reload()` loads it afresh; `reload(value)`
 * shows a value the caller already has (an update's answer) at once, so the page never shows the
 * old value while a new load is on its way.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, (value?: T) => void] {
  const { expire } = useApp();
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setResult({ state: 'loading' });
    load().then(
      (value) => current && setResult({ state: 'ready', value }),
      (error: unknown) => {
        if (!current) return;
        if (isUnauthorized(error)) expire();
        else if (error instanceof NotAvailable) setResult({ state: 'unavailable', message: error.message });
        else setResult({ state: 'failed', problem: problemView(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [...deps, round]); // the caller lists what the load depends on
  return [
    result,
    (value?: T) => (value === undefined ? setRound((n) => n + 1) : setResult({ state: 'ready', value })),
  ];
}

/** The loading, failed and unavailable states of a Loaded, or its value rendered. */
export function Show<T>({
  loaded,
  children,
}: {
  loaded: Loaded<T>;
  children: (value: T) => ComponentChildren;
}) {
  switch (loaded.state) {
    case 'loading':
      return (
        <p class="muted" role="status">
          Loading…
        </p>
      );
    case 'failed':
      return <ProblemAlert problem={loaded.problem} />;
    case 'unavailable':
      return (
        <p class="notice" role="status">
          Not available: {loaded.message}
        </p>
      );
    case 'ready':
      return <>{children(loaded.value)}</>;
  }
}

/** A modal confirmation (the platform's <dialog>: focus kept inside, Escape cancels). */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  confirmLabel: string;
  busy?: boolean;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  const titleId = `dialog-${props.title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog ref={ref} aria-labelledby={titleId} onCancel={props.onCancel} class="dialog">
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
      <div class="actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button
          type="button"
          class={props.danger ? 'danger' : 'primary'}
          disabled={props.busy}
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** A signing secret, shown this once, with a copy button and the warning that it will not be shown again. */
export function SecretReveal({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = () =>
    navigator.clipboard.writeText(secret).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <section class="secret" aria-labelledby="secret-heading">
      <h2 id="secret-heading">Signing secret</h2>
      <p class="warning">
        <strong>Copy this secret now.</strong> It is shown only this once: Herald cannot show it again. Your
        receiver needs it to verify each delivery&apos;s signature.
      </p>
      <p>
        <code class="secret-value" aria-label="Signing secret">
          {secret}
        </code>
      </p>
      <div class="actions">
        <button type="button" class="primary" onClick={copy}>
          Copy secret
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status" class="muted">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copying failed: select and copy it.'
            : ''}
      </p>
    </section>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{status}</span>;
}

/** Copies a value to the clipboard, and says whether it did. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <>
      <button type="button" class="small" onClick={copy}>
        {label}
      </button>
      <span role="status" class="muted">
        {copied === 'yes' ? ' Copied.' : copied === 'failed' ? ' Copying failed: select and copy it.' : ''}
      </span>
    </>
  );
}

/**
 * A v1a subscription's public key after creation or rotation. It is not secret (it verifies, it
 * cannot sign): the subscription's page and the tenant's key set show it again.
 */
export function PublicKeyReveal({ publicKey, onDone }: { publicKey: string; onDone: () => void }) {
  return (
    <section class="secret" aria-labelledby="public-key-heading">
      <h2 id="public-key-heading">Public key</h2>
      <p>
        Your receiver verifies each webhook&apos;s <code>v1a</code> signature with this key. It is not a
        secret and cannot sign: the subscription&apos;s page and your tenant&apos;s key set show it again.
      </p>
      <p>
        <code class="secret-value public-key" aria-label="Public key">
          {publicKey}
        </code>
      </p>
      <div class="actions">
        <CopyButton text={publicKey} label="Copy public key" />
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}
