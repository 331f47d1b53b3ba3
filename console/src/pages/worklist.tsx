/**
 * One worklist, oldest first, worked in place: each action says what it did (or the API's own words when it
 * refuses), and the item leaves the list. Actions show only for roles the API would let act (the API checks again);
 * details open below an item for everyone. Each action is its own small component in `../actions/`.
 */
import type { ComponentType } from 'preact';
import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { worklistActions, type AnyEntry } from '../actions/index.tsx';
import type { ActionProps } from '../actions/route.ts';
import '../actions/actions.css';
import { downloadCsv } from '../api.ts';
import type { Session } from '../auth.ts';
import { day, money } from '../format.ts';
import { Loading, useLoad } from '../load.tsx';
import { WORKLIST_TITLES } from './today.tsx';

interface WorklistPageData {
  items: AnyEntry[];
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
      {/* Both regions are always there, so a screen reader announces what fills them. */}
      <p role="status" class="outcome">
        {outcome?.ok ? outcome.text : ''}
      </p>
      <p role="alert" class="error">
        {outcome && !outcome.ok ? outcome.text : ''}
      </p>
      <Loading load={page}>
        {({ items, cursor: next }) =>
          items.length === 0 ? (
            <p>Nothing waiting.</p>
          ) : (
            <>
              <table class="worklist">
                <thead>
                  <tr>
                    <th scope="col">Since</th>
                    <th scope="col">What</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Details</th>
                    <th scope="col">Action</th>
                  </tr>
                </thead>
                {items.map((item) => (
                  <Item key={`${item.kind}:${item.entityId}`} entry={item} session={session} onDone={done} onFailed={failed} />
                ))}
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

/** One item: its row, and the panel below it when opened (a `tbody` each, so the two stay together). */
function Item({ entry, session, onDone, onFailed }: ActionProps<AnyEntry>) {
  const [open, setOpen] = useState(false);
  const actions = worklistActions[entry.kind];
  const Inline = actions.inline as ComponentType<ActionProps<AnyEntry>> | undefined;
  const Panel = actions.panel as ComponentType<ActionProps<AnyEntry>> | undefined;
  const panelId = `panel-${entry.kind}-${entry.entityId}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const amount = entry.kind === 'dead-letters' ? `${entry.approximateCount} message${entry.approximateCount === 1 ? '' : 's'}` : money(entry.amountMinor, entry.currency);
  return (
    <tbody>
      <tr data-entity={entry.entityId}>
        <td>{day(entry.since)}</td>
        <td>{entry.summary}</td>
        <td>{amount}</td>
        <td>
          {Panel ? (
            <button type="button" aria-expanded={open} aria-controls={open ? panelId : undefined} onClick={() => setOpen(!open)}>
              {open ? 'Close' : 'Open'} {actions.opens}
            </button>
          ) : (
            <code>{entry.details}</code>
          )}
        </td>
        <td>{Inline ? <Inline entry={entry} session={session} onDone={onDone} onFailed={onFailed} /> : null}</td>
      </tr>
      {Panel && open && (
        <tr class="panel-row" data-panel-for={entry.entityId}>
          <td colSpan={5} id={panelId}>
            <Panel entry={entry} session={session} onDone={onDone} onFailed={onFailed} />
          </td>
        </tr>
      )}
    </tbody>
  );
}
