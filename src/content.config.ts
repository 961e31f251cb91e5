import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { jobSchema } from './schemas/job';
import { pageSchema } from './schemas/page';

/** Job postings: `content/jobs/<locale>/<slug>.md`, ids like "en/machine-learning-intern". */
const jobs = defineCollection({
  loader: glob({ pattern: '*/*.md', base: './content/jobs' }),
  schema: jobSchema,
});

/** Editor-managed pages such as the privacy notice: `content/pages/<locale>/<name>.md`. */
const pages = defineCollection({
  loader: glob({ pattern: '*/*.md', base: './content/pages' }),
  schema: pageSchema,
});

export const collections = { jobs, pages };
