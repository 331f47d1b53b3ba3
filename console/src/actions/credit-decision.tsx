/** Credit reviews: approve or reject the order, with the reason the audit keeps (`POST /orders/{id}/credit-decision`). */
import { useState } from 'preact/hooks';
import type { WorkEntry } from '#domain/worklists';
import { post } from '../api.ts';
import { mayTake, type ActionProps } from './route.ts';

export function CreditDecision({ entry, session, onDone, onFailed }: ActionProps<WorkEntry>) {
  const [reason, setReason] = useState('');
  if (!mayTake(entry.resolve, session.roles)) return null;
  const decide = (decision: 'approve' | 'reject') =>
    post(entry.resolve.path, { decision, reason }).then(() => onDone(`Order ${entry.entityId}: ${decision === 'approve' ? 'approved' : 'rejected'} (${reason}).`), onFailed);
  return (
    <form class="inline" onSubmit={(event) => event.preventDefault()}>
      <label for={`reason-${entry.entityId}`}>Reason</label>
      <input id={`reason-${entry.entityId}`} value={reason} required minLength={3} onInput={(event) => setReason(event.currentTarget.value)} />
      <button type="button" onClick={() => void decide('approve')}>
        Approve
      </button>
      <button type="button" onClick={() => void decide('reject')}>
        Reject
      </button>
    </form>
  );
}
