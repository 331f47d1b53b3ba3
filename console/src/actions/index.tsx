/**
 * Which action works which worklist: `inline` sits in the item's row (a reason and a button or two), `panel`
 * opens below it (details to read before acting). Each shows only what the signed-in roles may do.
 */
import type { ComponentType } from 'preact';
import type { DeadLetterEntry } from '#domain/dead-letters';
import type { WorkEntry } from '#domain/worklists';
import { AllocatePayment } from './allocate-payment.tsx';
import { BackorderedDetails } from './backordered.tsx';
import { CreditDecision } from './credit-decision.tsx';
import { EmailFailure } from './email-failure.tsx';
import { QuarantinedFile } from './quarantined-file.tsx';
import { RecheckOrder } from './recheck-order.tsx';
import { RecordPromise } from './record-promise.tsx';
import { DeadLetterSamples, Redrive } from './redrive.tsx';
import { ResolveDeduction } from './resolve-deduction.tsx';
import { ResolveDispute } from './resolve-dispute.tsx';
import type { ActionProps } from './route.ts';

export type AnyEntry = WorkEntry | DeadLetterEntry;

interface WorklistActions {
  inline?: ComponentType<ActionProps<never>>;
  panel?: ComponentType<ActionProps<never>>;
  /** What the panel's toggle says it opens. */
  opens?: string;
}

export const worklistActions: Record<AnyEntry['kind'], WorklistActions> = {
  'credit-review': { inline: CreditDecision },
  'on-hold': { inline: RecheckOrder },
  backordered: { panel: BackorderedDetails, opens: 'what it waits for' },
  'unmatched-payments': { panel: AllocatePayment, opens: 'payment' },
  deductions: { inline: ResolveDeduction },
  disputes: { inline: ResolveDispute },
  'broken-promises': { inline: RecordPromise },
  'email-failures': { panel: EmailFailure, opens: 'email' },
  'quarantined-files': { panel: QuarantinedFile, opens: 'quarantine report' },
  'dead-letters': { inline: Redrive, panel: ({ entry }: { entry: DeadLetterEntry }) => <DeadLetterSamples entry={entry} />, opens: 'messages' },
};
