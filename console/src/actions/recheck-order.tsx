/**
 * Orders on hold: check the order against the catalogue again (`POST /orders/{id}/recheck`). Passing, it is
 * released (`RECEIVED`) and its workflow runs on (credit, stock); failing, it stays on hold with today's reasons.
 */
import type { WorkEntry } from '#domain/worklists';
import { post } from '../api.ts';
import { mayTake, type ActionProps } from './route.ts';

interface Rechecked {
  orderId: string;
  status: string;
  reasons: string[];
}

export function RecheckOrder({ entry, session, onDone, onFailed }: ActionProps<WorkEntry>) {
  if (!mayTake(entry.resolve, session.roles)) return null;
  const recheck = () =>
    post<Rechecked>(entry.resolve.path, {}).then(
      (result) => onDone(result.status === 'ON_HOLD' ? `Order ${result.orderId}: still on hold (${result.reasons.join('; ')}).` : `Order ${result.orderId}: released (${result.status}); its workflow runs on.`),
      onFailed,
    );
  return (
    <button type="button" onClick={() => void recheck()}>
      Recheck and release
    </button>
  );
}
