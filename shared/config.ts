import * as z from '#schemas/zod';

/**
 * Reads and checks a function's environment once, at cold start: a missing variable fails the init loudly
 * instead of the tenth request.
 */
export function loadConfig<Shape extends z.core.$ZodShape>(shape: Shape, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodMiniObject<Shape>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid function configuration: ${problems}`);
  }
  return parsed.data;
}

export const requiredName = z.string().check(z.minLength(1));
