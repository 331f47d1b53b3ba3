/**
 * Construct ids derived from topology keys, so a topology entry always lands at the same path (and the same
 * CloudFormation logical id) no matter which construct builds it.
 */

/** `intake-orders`, `intakeOrders` or `ar-clerk` → `IntakeOrders` / `ArClerk`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
