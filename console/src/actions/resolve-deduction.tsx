/**
 * Deductions: accept what the payer kept back (by a credit note of exactly that amount, or a write-off within the
 * role's limit) or reject it, handing the amount back to collections (`POST /deductions/{id}/resolution`).
 */
import { useState } from 'preact/hooks';
import type { WorkEntry } from '#domain/worklists';
import { post } from '../api.ts';
import { money } from '../format.ts';
import { mayTake, type ActionProps } from './route.ts';

interface Resolved {
  deductionId: string;
  status: string;
  settledBy?: string;
  creditNote?: { number: string };
  invoiceOpenMinor?: number;
  invoiceStatus?: string;
}

export function ResolveDeduction({ entry, session, onDone, onFailed }: ActionProps<WorkEntry>) {
  const [reason, setReason] = useState('');
  const [settleBy, setSettleBy] = useState<'credit-note' | 'write-off'>('credit-note');
  if (!mayTake(entry.resolve, session.roles)) return null;
  const id = `deduction-${entry.entityId}`;
  const amount = money(entry.amountMinor, entry.currency);
  const resolve = (decision: 'accept' | 'reject') =>
    post<Resolved>(entry.resolve.path, decision === 'accept' ? { decision, settleBy, reason } : { decision, reason }).then(
      (resolved) =>
        onDone(
          decision === 'accept'
            ? `Deduction ${entry.entityId} (${amount}): accepted by ${resolved.settledBy === 'credit-note' ? `credit note ${resolved.creditNote?.number ?? ''}` : 'write-off'}.`
            : `Deduction ${entry.entityId} (${amount}): rejected; the amount is back with collections.`,
        ),
      onFailed,
    );
  return (
    <form class="inline" onSubmit={(event) => event.preventDefault()}>
      <label for={`${id}-reason`}>Reason</label>
      <input id={`${id}-reason`} value={reason} required minLength={3} onInput={(event) => setReason(event.currentTarget.value)} />
      <label for={`${id}-settle`}>Accept by</label>
      <select id={`${id}-settle`} value={settleBy} onChange={(event) => setSettleBy(event.currentTarget.value as 'credit-note' | 'write-off')}>
        <option value="credit-note">credit note</option>
        <option value="write-off">write-off</option>
      </select>
      <button type="button" onClick={() => void resolve('accept')}>
        Accept deduction
      </button>
      <button type="button" onClick={() => void resolve('reject')}>
        Reject deduction
      </button>
    </form>
  );
}
