import { z } from 'astro/zod';
import { describe, expect, it } from 'vitest';
import { jobsApiQuerySchema, jobsApiResponseSchema } from '#src/schemas/jobsApi.ts';

describe('the /api/jobs contract', () => {
  it('publishes the JSON Schema generated from its zod schema (after a change: npx vitest run -u test/unit/jobsApiSchema.test.ts)', async () => {
    const generated = `${JSON.stringify(z.toJSONSchema(jobsApiResponseSchema), null, 2)}\n`;
    await expect(generated).toMatchFileSnapshot('../../public/api/jobs.schema.json');
  });

  it('needs a known locale and ignores malformed filters', () => {
    expect(jobsApiQuerySchema.safeParse({}).success).toBe(false);
    expect(jobsApiQuerySchema.safeParse({ locale: 'fr' }).success).toBe(false);
    expect(jobsApiQuerySchema.parse({ locale: 'de', type: 'NOPE', team: '' })).toEqual({ locale: 'de', type: undefined, team: undefined });
  });
});
