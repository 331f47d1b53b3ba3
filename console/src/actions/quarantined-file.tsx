/**
 * Quarantined bank files: why the file was refused, and the entry's `resolve` route, `POST /bank-files`: a file
 * quarantined before is read again when uploaded again (after its account's CSV profile was saved, say), and leaves
 * the list once it is applied. The quarantine report itself (`details`) is a key in the bank-files bucket, not an
 * API route: it is shown as such, and read only when it names a route the API has.
 */
import { useState } from 'preact/hooks';
import type { WorkEntry } from '#domain/worklists';
import { get, postText } from '../api.ts';
import { Loading, useLoad } from '../load.tsx';
import { mayTake, routeTemplate, type ActionProps } from './route.ts';

interface Received {
  status: 'received' | 'duplicate';
  fileKey: string;
  format?: string;
  statements?: { id: string; entries: number }[];
  previousStatus?: string;
}

/** `inbound/csv/NL…/2026-11-20/…-ing.csv: reason` → the key, the reason, and the CSV account the key names. */
function partsOf(summary: string) {
  const split = summary.indexOf(': ');
  const fileKey = split < 0 ? summary : summary.slice(0, split);
  return { fileKey, reason: split < 0 ? '' : summary.slice(split + 2), account: /^inbound\/csv\/([A-Za-z0-9]+)\//.exec(fileKey)?.[1] ?? '' };
}

export function QuarantinedFile({ entry, session, onDone, onFailed }: ActionProps<WorkEntry>) {
  const { fileKey, reason } = partsOf(entry.summary);
  const readable = entry.details.startsWith('/') && routeTemplate('GET', entry.details) !== undefined;
  return (
    <>
      <dl class="facts">
        <dt>File</dt>
        <dd>
          <code>{fileKey}</code>
        </dd>
        <dt>Why it was quarantined</dt>
        <dd data-reason>{reason || 'unreadable'}</dd>
        <dt>Report</dt>
        <dd>{readable ? <Report path={entry.details} /> : <>kept in the bank-files bucket beside the quarantined file, under <code>quarantine/</code> (the entry names <code>{entry.details}</code>); the API has no route to read it.</>}</dd>
      </dl>
      {mayTake(entry.resolve, session.roles) && <UploadAgain entry={entry} onDone={onDone} onFailed={onFailed} />}
    </>
  );
}

function Report({ path }: { path: string }) {
  const report = useLoad<{ error?: { message?: string; location?: string } }>(path);
  return <Loading load={report}>{(found) => <>{[found.error?.message, found.error?.location].filter(Boolean).join(' at ') || JSON.stringify(found)}</>}</Loading>;
}

/** Polls the worklist (every page) until the entry is gone, or gives up after `timeoutMs`. */
async function leftTheList(entry: WorkEntry, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let cursor: string | null = null;
    let present = false;
    do {
      const page: { items: WorkEntry[]; cursor: string | null } = await get(`/worklists/${entry.kind}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      present = page.items.some((item) => item.entityId === entry.entityId);
      cursor = present ? null : page.cursor;
    } while (cursor);
    if (!present) return true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}

function UploadAgain({ entry, onDone, onFailed }: Pick<ActionProps<WorkEntry>, 'entry' | 'onDone' | 'onFailed'>) {
  const [file, setFile] = useState<File | undefined>();
  const [account, setAccount] = useState(partsOf(entry.summary).account);
  const [busy, setBusy] = useState(false);
  const id = `upload-${entry.entityId.slice(0, 16)}`;
  const upload = async () => {
    if (!file) return onFailed(new Error('choose the bank file to upload again'));
    setBusy(true);
    try {
      const query = new URLSearchParams({ name: file.name, ...(account.trim() ? { account: account.trim() } : {}) });
      const received = await postText<Received>(`${entry.resolve.path}?${query}`, await file.text(), file.type || 'text/plain');
      if (received.status === 'duplicate') return onDone(`${file.name} was seen before (${received.previousStatus ?? 'applied'}): nothing read again.`);
      const what = `${file.name} received again (${received.format}, ${received.statements?.length ?? 0} statement${received.statements?.length === 1 ? '' : 's'})`;
      onDone((await leftTheList(entry)) ? `${what} and applied: it has left the quarantine.` : `${what}; it is still on this list: look at it again in a moment.`);
    } catch (error) {
      onFailed(error as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="inline"
      aria-label="Upload the file again"
      onSubmit={(event) => {
        event.preventDefault();
        void upload();
      }}
    >
      <label for={`${id}-file`}>Bank file</label>
      <input id={`${id}-file`} type="file" required onChange={(event) => setFile(event.currentTarget.files?.[0])} />
      <label for={`${id}-account`}>Account (CSV files)</label>
      <input id={`${id}-account`} size={24} value={account} onInput={(event) => setAccount(event.currentTarget.value)} />
      <button type="submit" disabled={busy} aria-busy={busy}>
        Upload again
      </button>
    </form>
  );
}
