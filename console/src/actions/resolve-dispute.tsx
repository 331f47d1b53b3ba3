/**
 * Disputes: resolve by a credit note (everything open, or the amount given) or reject, always with a reason
 * (`POST /disputes/{id}/resolution`, the entry's own route: the dispute's id, not the invoice's).
 */
import { useState } from 'preact/hooks';
import type { resolveDispute } from '#domain/use-cases/disputes';
import type { WorkEntry } from '#domain/worklists';
import { post } from '../api.ts';
import { money } from '../format.ts';
import { minorOf, mayTake, type ActionProps } from './route.ts';

type Resolved = Awaited<ReturnType<typeof resolveDispute>>;

export function ResolveDispute({ entry, session, onDone, onFailed }: ActionProps<WorkEntry>) {
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  if (!mayTake(entry.resolve, session.roles)) return null;
  const id = `dispute-${entry.entityId}`;
  const resolve = (outcome: 'credit' | 'reject') => {
    const currency = entry.currency ?? 'EUR';
    const amountMinor = amount.trim() === '' ? undefined : minorOf(amount, currency);
    if (outcome === 'credit' && amount.trim() !== '' && amountMinor === undefined) return onFailed(new Error(`"${amount}" is not an amount in ${currency}`));
    const body = { outcome, reason, ...(outcome === 'credit' && amountMinor !== undefined ? { amountMinor } : {}) };
    return post<Resolved>(entry.resolve.path, body).then(
      (resolved) =>
        onDone(
          outcome === 'credit'
            ? `${entry.summary}: resolved by credit note ${resolved.creditNote?.number ?? ''} of ${money(resolved.creditNote?.totalMinor, currency)}; the invoice is ${resolved.invoiceStatus}.`
            : `${entry.summary}: dispute rejected (${reason}); the invoice is ${resolved.invoiceStatus}.`,
        ),
      onFailed,
    );
  };
  return (
    <form class="inline" onSubmit={(event) => event.preventDefault()}>
      <label for={`${id}-reason`}>Reason</label>
      <input id={`${id}-reason`} value={reason} required minLength={3} onInput={(event) => setReason(event.currentTarget.value)} />
      <label for={`${id}-amount`}>Credit amount ({entry.currency}, empty for all open)</label>
      <input id={`${id}-amount`} inputMode="decimal" size={8} value={amount} onInput={(event) => setAmount(event.currentTarget.value)} />
      <button type="button" onClick={() => void resolve('credit')}>
        Resolve by credit note
      </button>
      <button type="button" onClick={() => void resolve('reject')}>
        Reject dispute
      </button>
    </form>
  );
}
