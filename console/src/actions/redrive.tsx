/**
 * Dead letters: what is waiting in the queue (redacted samples), and for admins the redrive that moves the
 * messages back to the work queue they came from (`POST /dead-letters/{queue}/redrive`). A queue without a source
 * queue has no route (`resolve: null`) and says what to do instead in its summary.
 */
import type { DeadLetterEntry, RedriveOutcome } from '#domain/dead-letters';
import { post } from '../api.ts';
import { day } from '../format.ts';
import { mayTake, type ActionProps } from './route.ts';

export function Redrive({ entry, session, onDone, onFailed }: ActionProps<DeadLetterEntry>) {
  if (!entry.resolve || !mayTake(entry.resolve, session.roles)) return null;
  const path = entry.resolve.path;
  const redrive = () =>
    post<RedriveOutcome>(path, {}).then(
      (outcome) =>
        onDone(
          outcome.mode === 'message-move-task'
            ? `${outcome.queue}: moving the messages back to the ${outcome.destination} queue (task running).`
            : `${outcome.queue}: ${outcome.moved} message${outcome.moved === 1 ? '' : 's'} moved back to the ${outcome.destination} queue${outcome.failed ? `, ${outcome.failed} not (redrive again)` : ''}.`,
        ),
      onFailed,
    );
  return (
    <button type="button" onClick={() => void redrive()}>
      Redrive {entry.queue}
    </button>
  );
}

/** The samples the worklist read from the queue: never a body, only its redacted preview. */
export function DeadLetterSamples({ entry }: { entry: DeadLetterEntry }) {
  if (entry.samples.length === 0) return <p>No message came back when sampled; the queue holds about {entry.approximateCount}.</p>;
  return (
    <table>
      <caption>
        Sampled messages of {entry.queue} (about {entry.approximateCount} in the queue)
      </caption>
      <thead>
        <tr>
          <th scope="col">Message</th>
          <th scope="col">Sent</th>
          <th scope="col">Receives</th>
          <th scope="col">Preview</th>
        </tr>
      </thead>
      <tbody>
        {entry.samples.map((sample) => (
          <tr key={sample.messageId}>
            <td>
              <code>{sample.messageId}</code>
            </td>
            <td>{sample.sentAt ? `${day(sample.sentAt)} ${sample.sentAt.slice(11, 19)}` : '—'}</td>
            <td>{sample.receiveCount ?? '—'}</td>
            <td>
              <code class="preview">{sample.preview}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
