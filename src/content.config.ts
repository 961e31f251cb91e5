import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { contentDirFromEnv } from '#src/content-tools/dir.ts';
import { jobSchema } from './schemas/job.ts';
import { pageSchema } from './schemas/page.ts';

/** The content folder (CONTENT_DIR, default "content"); tests point it at fixtures. */
const CONTENT_DIR = contentDirFromEnv(process.env);

/** Job postings: `content/jobs/<locale>/<slug>.md` (checked by src/content-tools/check.ts), ids like "en/machine-learning-intern". */
const jobs = defineCollection({
  loader: glob({ pattern: '*/*.md', base: `./${CONTENT_DIR}/jobs` }),
  schema: jobSchema,
});

/** Editor-managed pages such as the privacy notice: `content/pages/<locale>/<name>.md`. */
const pages = defineCollection({
  loader: glob({ pattern: '*/*.md', base: `./${CONTENT_DIR}/pages` }),
  schema: pageSchema,
});

export const collections = { jobs, pages };
