/**
 * One worklist, oldest first, worked in place: each action says what it did, and the item leaves the list. Actions
 * show only for roles the API would let act (the API checks again).
 */
import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import type { WorkEntry } from '#domain/worklists';
import { downloadCsv, mayCall, post } from '../api.ts';
import type { Session } from '../auth.ts';
import { day, money } from '../format.ts';
import { Loading, useLoad } from '../load.tsx';
import { WORKLIST_TITLES } from './today.tsx';

interface WorklistPageData {
  items: WorkEntry[];
  cursor: string | null;
}

export function WorklistPage({ kind, session }: { kind: string; session: Session }) {
  const [cursor, setCursor] = useState<string | undefined>();
  const page = useLoad<WorklistPageData>(`/worklists/${encodeURIComponent(kind)}?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();
  const title = WORKLIST_TITLES[kind] ?? kind;
  const done = (text: string) => {
    setOutcome({ ok: true, text });
    page.reload();
  };
  const failed = (error: Error) => setOutcome({ ok: false, text: error.message });
  return (
    <>
      <h1>{title}</h1>
      <p>
        <Link href="/today">Today</Link> ·{' '}
        <button type="button" onClick={() => void downloadCsv(`/worklists/${encodeURIComponent(kind)}?limit=100`, `${kind}.csv`).catch(failed)}>
          Export CSV
        </button>
      </p>
      {outcome && (
        <p role="status" class={outcome.ok ? 'outcome' : 'error'}>
          {outcome.text}
        </p>
      )}
      <Loading load={page}>
        {({ items, cursor: next }) =>
          items.length === 0 ? (
            <p>Nothing waiting.</p>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Since</th>
                    <th scope="col">What</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Details</th>
                    <th scope="col">Action</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={`${item.kind}:${item.entityId}`} data-entity={item.entityId}>
                      <td>{day(item.since)}</td>
                      <td>{item.summary}</td>
                      <td>{money(item.amountMinor, item.currency)}</td>
                      <td>
                        <code>{item.details}</code>
                      </td>
                      <td>{item.kind === 'credit-review' && mayCall('POST', '/orders/{id}/credit-decision', session.roles) ? <CreditDecision orderId={item.entityId} onDone={done} onFailed={failed} /> : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {next && (
                <button type="button" onClick={() => setCursor(next)}>
                  Next page
                </button>
              )}
            </>
          )
        }
      </Loading>
    </>
  );
}

/** Approve or reject a credit review, with the reason the audit keeps. */
function CreditDecision({ orderId, onDone, onFailed }: { orderId: string; onDone: (text: string) => void; onFailed: (error: Error) => void }) {
  const [reason, setReason] = useState('');
  const decide = (decision: 'approve' | 'reject') =>
    post(`/orders/${orderId}/credit-decision`, { decision, reason }).then(() => onDone(`Order ${orderId}: ${decision === 'approve' ? 'approved' : 'rejected'} (${reason}).`), onFailed);
  return (
    <form class="inline" onSubmit={(event) => event.preventDefault()}>
      <label for={`reason-${orderId}`}>Reason</label>
      <input id={`reason-${orderId}`} value={reason} required minLength={3} onInput={(event) => setReason(event.currentTarget.value)} />
      <button type="button" onClick={() => void decide('approve')}>
        Approve
      </button>
      <button type="button" onClick={() => void decide('reject')}>
        Reject
      </button>
    </form>
  );
}
