/**
 * What the actions share: the props each takes, and whether the signed-in roles may call a worklist item's own
 * `resolve` route. Items carry their route filled in (`/payments/PAY-1/allocations`); the role matrix
 * (`#shared/topology`) names templates (`/payments/{id}/allocations`), so the one is matched against the other.
 */
import { parseDecimalMinor } from '#domain/money';
import { routes, type Role } from '#shared/topology';
import { mayCall } from '../api.ts';
import type { Session } from '../auth.ts';

export interface ActionProps<Entry> {
  entry: Entry;
  session: Session;
  /** Says what was done (`role="status"`) and reads the list again: the item leaves it. */
  onDone: (text: string) => void;
  /** Shows the API's own words (`role="alert"`). */
  onFailed: (error: Error) => void;
}

type Method = 'GET' | 'POST' | 'PUT';

/** The route template a concrete path falls under (`/payments/PAY-1/allocations` → `/payments/{id}/allocations`). */
export function routeTemplate(method: Method, path: string): string | undefined {
  const segments = path.split('?')[0]!.split('/');
  return routes.find((route) => {
    if (route.method !== method) return false;
    const template = route.path.split('/');
    return template.length === segments.length && template.every((part, index) => (part.startsWith('{') && part.endsWith('}') ? segments[index] !== '' : part === segments[index]));
  })?.path;
}

/** Whether the roles may take the route (the API enforces the same matrix whatever the console shows). */
export function mayTake(route: { method: Method; path: string } | null | undefined, held: readonly Role[]): boolean {
  if (!route) return false;
  const template = routeTemplate(route.method, route.path);
  return template !== undefined && mayCall(route.method, template, held);
}

/**
 * An amount as people type it (`12`, `12.5`, `12,50`) in minor units of `currency`, by the backend's own exact
 * parser (more decimals than the currency has are refused, never rounded); undefined when it is not a positive amount.
 */
export function minorOf(text: string, currency: string): number | undefined {
  try {
    const minor = parseDecimalMinor(text.trim().replace(',', '.'), currency);
    return minor > 0 ? minor : undefined;
  } catch {
    return undefined;
  }
}
