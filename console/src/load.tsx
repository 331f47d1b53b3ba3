import { useCallback, useEffect, useState } from 'preact/hooks';
import { get } from './api.ts';

/** A GET the page shows: its answer, or O2C's error in its own words, and a way to read it again after an action. */
export function useLoad<T>(path: string | undefined): { data?: T; error?: string; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!path) return;
    let current = true;
    get<T>(path).then(
      (data) => current && setState({ data }),
      (error: Error) => current && setState({ error: error.message }),
    );
    return () => {
      current = false;
    };
  }, [path, round]);
  return { ...state, reload: useCallback(() => setRound((value) => value + 1), []) };
}

export function Loading<T>({ load, children }: { load: { data?: T; error?: string }; children: (data: T) => preact.ComponentChildren }) {
  if (load.error) return <p role="alert" class="error">{load.error}</p>;
  if (load.data === undefined) return <p aria-busy="true">Loading…</p>;
  return <>{children(load.data)}</>;
}
