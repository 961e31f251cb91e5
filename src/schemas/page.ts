import { z } from 'astro/zod';

/** Frontmatter of an editor-managed page, `content/pages/<locale>/<name>.md`. */
export const pageSchema = z.strictObject({
  /** The page heading and document title. */
  title: z.string({ error: 'add a title, e.g. "Privacy notice"' }).min(1),
  /** One sentence for search results and link previews. */
  description: z.string({ error: 'add a one-sentence description' }).min(1).max(200),
  /** Day the text was last changed, YYYY-MM-DD; shown on the page. */
  updated: z.coerce.date({ error: 'updated must be a date written as YYYY-MM-DD' }),
  /** Version of the text (e.g. "2026-11-26"); the privacy notice's is stored with each consent. */
  version: z.string().min(1).optional(),
});

/** A page's frontmatter, as validated. */
export type Page = z.infer<typeof pageSchema>;
