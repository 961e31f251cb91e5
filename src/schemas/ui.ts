import { z } from 'astro/zod';

const text = z
  .string({ error: (issue) => (issue.input === undefined ? 'missing: add the translation' : 'must be text in quotes') })
  .min(1, 'must not be empty: add the translation');

/**
 * UI strings of one locale, `content/ui/<locale>.json`: flat dotted keys. Strict, so a key
 * missing in one language, or one that is misspelt, fails the build. `{name}` marks a value
 * filled in at render time. The keys' English meaning is in content/ui/en.json.
 */
export const uiStringsSchema = z.strictObject({
  'site.name': text,
  'site.description': text,
  'nav.skip': text,
  'nav.home': text,
  'language.label': text,
  'language.current': text,
  'list.title': text,
  'list.intro': text,
  'list.empty': text,
  'list.count': text,
  'list.countOne': text,
  'job.facts': text,
  'job.team': text,
  'job.location': text,
  'job.employmentType': text,
  'job.workplace': text,
  'job.datePosted': text,
  'job.validThrough': text,
  'job.salary': text,
  'job.salaryNone': text,
  'job.closed': text,
  'employmentType.FULL_TIME': text,
  'employmentType.PART_TIME': text,
  'employmentType.CONTRACTOR': text,
  'employmentType.TEMPORARY': text,
  'employmentType.INTERN': text,
  'employmentType.VOLUNTEER': text,
  'employmentType.PER_DIEM': text,
  'employmentType.OTHER': text,
  'workplace.on-site': text,
  'workplace.hybrid': text,
  'workplace.remote': text,
  'footer.privacy': text,
  'footer.imprint': text,
  'footer.label': text,
  'page.updated': text,
  'notFound.title': text,
  'notFound.body': text,
  'notFound.home': text,
});

/** The UI strings of one locale. */
export type UiStrings = z.infer<typeof uiStringsSchema>;
/** One UI string key, e.g. "job.apply". */
export type UiKey = keyof UiStrings;
