import type * as z from '#schemas/zod';

/**
 * zod issues as `path: message` lines (`(body)` for the whole body), the `details` of a 400. Apart
 * from the schemas so a function that only reports issues (every HTTP handler, through `#shared/http`) does not
 * build the order schemas at cold start.
 */
export function describeIssues(error: z.core.$ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}
