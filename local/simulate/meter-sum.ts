import { MeterSnapshot } from '../meter-snapshot.ts';

/**
 * How two readings of the meter add up when the runtime restarted in between (the meter lives in memory, so each
 * process counts from 0): counts add; what describes a thing (a function's memory, a queue's kind) or a state now
 * (table and bucket sizes) is taken from the later reading; distinct metric series are the larger count.
 */
const LATER: ReadonlySet<string> = new Set(['version', 'memoryMb', 'architecture', 'type', 'logLevel', 'fifo', 'takenAt', 'tableBytes', 'bytesStored']);
const EARLIER: ReadonlySet<string> = new Set(['startedAt']);
const LARGER: ReadonlySet<string> = new Set(['metricSeries']);

function combine(earlier: unknown, later: unknown, key: string): unknown {
  if (earlier === undefined) return later;
  if (later === undefined) return earlier;
  if (EARLIER.has(key)) return earlier;
  if (LATER.has(key)) return later;
  if (typeof earlier === 'number' && typeof later === 'number') return LARGER.has(key) ? Math.max(earlier, later) : earlier + later;
  if (earlier && later && typeof earlier === 'object' && typeof later === 'object') {
    const keys = new Set([...Object.keys(earlier), ...Object.keys(later)]);
    return Object.fromEntries([...keys].map((name) => [name, combine((earlier as Record<string, unknown>)[name], (later as Record<string, unknown>)[name], name)]));
  }
  return later;
}

export function addMeterSnapshots(earlier: MeterSnapshot, later: MeterSnapshot): MeterSnapshot {
  return MeterSnapshot.parse(combine(earlier, later, ''));
}
