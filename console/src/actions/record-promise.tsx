/**
 * A promise to pay on an invoice (`POST /invoices/{id}/promises`: date, amount, note): dunning waits until the day
 * after the date. On the broken-promises list it is the entry's own route; any overdue invoice can take one too.
 */
import { useState } from 'preact/hooks';
import type { recordPromise } from '#domain/use-cases/dunning';
import { minorToDecimalString } from '#domain/money';
import type { WorkEntry } from '#domain/worklists';
import { post } from '../api.ts';
import { money } from '../format.ts';
import { mayTake, minorOf, type ActionProps } from './route.ts';

type Recorded = Awaited<ReturnType<typeof recordPromise>>;

export interface PromiseFormProps {
  invoiceId: string;
  /** `POST /invoices/{id}/promises` filled in: the worklist entry's own `resolve` path where it has one. */
  path?: string | undefined;
  /** What people call the invoice (its number), for the labels and the outcome. */
  label: string;
  currency: string;
  openMinor: number;
  onDone: (text: string) => void;
  onFailed: (error: Error) => void;
}

export function PromiseForm({ invoiceId, path, label, currency, openMinor, onDone, onFailed }: PromiseFormProps) {
  const [date, setDate] = useState('');
  const [amount, setAmount] = useState(openMinor > 0 ? minorToDecimalString(openMinor, currency) : '');
  const [note, setNote] = useState('');
  const id = `promise-${invoiceId}`;
  const record = () => {
    const amountMinor = minorOf(amount, currency);
    if (amountMinor === undefined) return onFailed(new Error(`"${amount}" is not an amount in ${currency}`));
    if (!date) return onFailed(new Error('give the date the customer promised to pay by'));
    return post<Recorded>(path ?? `/invoices/${encodeURIComponent(invoiceId)}/promises`, { date, amountMinor, ...(note.trim() ? { note: note.trim() } : {}) }).then(
      (recorded) => onDone(`${recorded.number}: promise of ${money(amountMinor, currency)} by ${date} recorded; dunning resumes ${recorded.dunningResumes} if it is not kept.`),
      onFailed,
    );
  };
  return (
    <form
      class="inline"
      aria-label={`Promise to pay ${label}`}
      onSubmit={(event) => {
        event.preventDefault();
        void record();
      }}
    >
      <label for={`${id}-date`}>Promised date</label>
      <input id={`${id}-date`} type="date" required value={date} onInput={(event) => setDate(event.currentTarget.value)} />
      <label for={`${id}-amount`}>Amount ({currency})</label>
      <input id={`${id}-amount`} inputMode="decimal" size={8} required value={amount} onInput={(event) => setAmount(event.currentTarget.value)} />
      <label for={`${id}-note`}>Note</label>
      <input id={`${id}-note`} value={note} onInput={(event) => setNote(event.currentTarget.value)} />
      <button type="submit">Record promise</button>
    </form>
  );
}

/** The broken-promises list: a new promise by the entry's own route. */
export function RecordPromise({ entry, session, onDone, onFailed }: ActionProps<WorkEntry>) {
  if (!mayTake(entry.resolve, session.roles)) return null;
  const label = entry.summary.split(':')[0] ?? entry.entityId;
  return <PromiseForm invoiceId={entry.entityId} path={entry.resolve.path} label={label} currency={entry.currency ?? 'EUR'} openMinor={entry.amountMinor ?? 0} onDone={onDone} onFailed={onFailed} />;
}
