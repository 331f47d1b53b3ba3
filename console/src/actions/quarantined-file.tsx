/**
 * Quarantined bank files: the file's record and quarantine report (`GET /bank-files/{sha256}`, the entry's
 * `details`): why it was refused, where in the file, and where the file is kept; and the entry's `resolve` route,
 * `POST /bank-files`: a file quarantined before is read again when uploaded again (after its account's CSV profile
 * was saved, say), and leaves the list once it is applied.
 */
import { useState } from 'preact/hooks';
import type { getBankFile } from '#domain/use-cases/payments';
import type { WorkEntry } from '#domain/worklists';
import { get, postText } from '../api.ts';
import { Loading, useLoad } from '../load.tsx';
import { mayTake, type ActionProps } from './route.ts';

type BankFile = Awaited<ReturnType<typeof getBankFile>>;

interface Received {
  status: 'received' | 'duplicate';
  fileKey: string;
  format?: string;
  statements?: { id: string; entries: number }[];
  previousStatus?: string;
}

/** The CSV account a bank-file key names (`inbound/csv/NL…/2026-11-20/…-ing.csv`), for uploading it again. */
const accountOf = (fileKey: string) => /^inbound\/csv\/([A-Za-z0-9]+)\//.exec(fileKey)?.[1] ?? '';

/** `inbound/…/ing.csv: reason` → the key (what the entry's summary starts with). */
const fileKeyOf = (summary: string) => (summary.includes(': ') ? summary.slice(0, summary.indexOf(': ')) : summary);

export function QuarantinedFile({ entry, session, onDone, onFailed }: ActionProps<WorkEntry>) {
  // The file's own route, whatever an entry written before it existed names as `details`.
  const file = useLoad<BankFile>(`/bank-files/${encodeURIComponent(entry.entityId)}`);
  return (
    <>
      <Loading load={file}>{(found) => <Report file={found} />}</Loading>
      {mayTake(entry.resolve, session.roles) && <UploadAgain entry={entry} onDone={onDone} onFailed={onFailed} />}
    </>
  );
}

function Report({ file }: { file: BankFile }) {
  const error = file.report?.error ?? file.error;
  return (
    <dl class="facts">
      <dt>File</dt>
      <dd>
        <code>{file.fileKey}</code>
      </dd>
      <dt>Why it was quarantined</dt>
      <dd data-reason>{error?.message ?? 'unreadable'}</dd>
      <dt>Where in the file</dt>
      <dd data-location>{error?.location ?? 'not said'}</dd>
      <dt>Kept as</dt>
      <dd data-kept>
        {file.quarantinedAs ? (
          <>
            <code>{file.quarantinedAs}</code> in the bank-files bucket, its report beside it (<code>{file.reportKey}</code>)
          </>
        ) : (
          'under quarantine/ in the bank-files bucket'
        )}
      </dd>
      <dt>Received</dt>
      <dd>{file.receivedAt}</dd>
    </dl>
  );
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
  const [account, setAccount] = useState(accountOf(fileKeyOf(entry.summary)));
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
