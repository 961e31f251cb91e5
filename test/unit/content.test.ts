import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkContent } from '#src/content-tools/check.ts';
import { formatProblem } from '#src/content-tools/problems.ts';
import { suggestKey } from '#src/content-tools/suggest.ts';
import { extractLinks } from '#src/content-tools/links.ts';
import { ROOT } from '#test/support/site.ts';

/** What `npm run check` prints for a fixture folder under test/fixtures/broken/. */
async function checkLines(fixture: string): Promise<string[]> {
  const { problems } = await checkContent(ROOT, `test/fixtures/broken/${fixture}`);
  return problems.map(formatProblem);
}

/** Each broken fixture and exactly the lines it must produce. */
const EXPECTED: Record<string, string[]> = {
  dates: ['test/fixtures/broken/dates/jobs/de/machine-learning-intern.md: validThrough: must be after datePosted (2025-11-21)'],
  'unknown-key': [
    'test/fixtures/broken/unknown-key/jobs/de/data-engineer.md: benefits: unknown field; remove it (content/README.md lists every field: title, team, location, employmentType, workplace, datePosted, validThrough, status, hiringOrganization, salary, summary, sourceHash)',
    'test/fixtures/broken/unknown-key/jobs/de/data-engineer.md: location.cty: unknown field; did you mean "city"? Fix the spelling',
    'test/fixtures/broken/unknown-key/jobs/en/data-engineer.md: tittle: unknown field; did you mean "title"? Fix the spelling',
  ],
  translations: [
    'test/fixtures/broken/translations/jobs/de/data-analyst.md: sourceHash: outdated: test/fixtures/broken/translations/jobs/en/data-analyst.md changed since this translation was reviewed; update the translation, then run npm run content:reviewed -- de data-analyst (warning)',
    'test/fixtures/broken/translations/jobs/de/data-engineer.md: file: missing; translate test/fixtures/broken/translations/jobs/en/data-engineer.md into Deutsch, save it here, then run npm run content:reviewed -- de data-engineer',
    'test/fixtures/broken/translations/jobs/de/designer.md: sourceHash: missing, so nobody has confirmed this translation matches test/fixtures/broken/translations/jobs/en/designer.md; after review run npm run content:reviewed -- de designer (warning)',
  ],
  mismatch: [
    'test/fixtures/broken/mismatch/jobs/de/data-engineer.md: datePosted: is 2025-11-20 but 2025-11-21 in test/fixtures/broken/mismatch/jobs/en/data-engineer.md; it must be the same in every language',
    'test/fixtures/broken/mismatch/jobs/de/data-engineer.md: location.postalCode: is "80333" but "80335" in test/fixtures/broken/mismatch/jobs/en/data-engineer.md; it must be the same in every language',
    'test/fixtures/broken/mismatch/jobs/de/data-engineer.md: status: is "closed" but "open" in test/fixtures/broken/mismatch/jobs/en/data-engineer.md; it must be the same in every language',
  ],
  links: [
    'test/fixtures/broken/links/jobs/en/data-analyst.md: body, line 25: link "ftp://files.example.com/cv.dotx" uses "ftp:"; link to a web page with https:// or to an e-mail address with mailto:',
    'test/fixtures/broken/links/jobs/en/data-engineer.md: body, line 25: link "../data-scientist/" leads to /en/jobs/data-scientist/, which is no page of the site; link to an existing posting, e.g. "../<slug>/", or remove the link',
    'test/fixtures/broken/links/jobs/en/data-engineer.md: body, line 25: link "/en/jobs/data-analyst/" starts with "/", which breaks when the site lives under a base path such as /careers/; write it relative to this page: "../data-analyst/"',
    'test/fixtures/broken/links/jobs/en/data-engineer.md: body, line 26: link "../data-analyst" lacks the trailing slash; write "../data-analyst/"',
    'test/fixtures/broken/links/jobs/en/data-engineer.md: body, line 26: link "http://blog/" is not a valid web address; write it in full, e.g. https://www.example.com/page',
    'test/fixtures/broken/links/jobs/en/data-engineer.md: body, line 26: link "mailto:jobs" is not a valid e-mail link; write it as mailto:name@example.com',
  ],
  files: [
    'test/fixtures/broken/files/jobs/de/Data_Analyst.md: file: the name "Data_Analyst" becomes the web address; use lowercase letters, digits and hyphens, e.g. "data-analyst.md"',
    'test/fixtures/broken/files/jobs/en/Data_Analyst.md: file: the name "Data_Analyst" becomes the web address; use lowercase letters, digits and hyphens, e.g. "data-analyst.md"',
    'test/fixtures/broken/files/jobs/en/data-engineer.md: frontmatter: is not valid YAML on line 18 (bad indentation of a mapping entry); check the indentation and put text containing ": " in quotes',
    'test/fixtures/broken/files/jobs/fr/data-engineer.md: file: "fr" is not a language of the site; move the file to one of en/, de/ (new languages are added in src/i18n/locales.ts)',
  ],
  'required-pages': [
    'test/fixtures/broken/required-pages/pages/de/privacy.md: file: missing; the site needs this page because applicants consent to it and every page links to it: write it (content/README.md explains the pages)',
    'test/fixtures/broken/required-pages/pages/en/privacy.md: file: missing; the site needs this page because applicants consent to it and every page links to it: write it (content/README.md explains the pages)',
  ],
};

describe('npm run check on broken content', () => {
  for (const [fixture, lines] of Object.entries(EXPECTED)) {
    it(`reports exactly the documented lines for test/fixtures/broken/${fixture}/`, async () => {
      await expect(checkLines(fixture)).resolves.toEqual(lines);
    });
  }

  it('documents every one of these messages in content/README.md, as editors would see them', async () => {
    const guide = await readFile(new URL('../../content/README.md', import.meta.url), 'utf8');
    for (const lines of Object.values(EXPECTED)) {
      for (const line of lines) expect(guide).toContain(line.replaceAll(/test\/fixtures\/broken\/[\w-]+\//g, 'content/'));
    }
  });

  it('finds no problem in the real content', async () => {
    const { problems } = await checkContent(ROOT, 'content');
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('finds no problem in the 30-posting fixture set', async () => {
    const { problems, translations } = await checkContent(ROOT, 'test/fixtures/many');
    expect(problems.map(formatProblem)).toEqual([]);
    expect(translations.length).toBeGreaterThanOrEqual(30);
  });
});

describe('suggestKey', () => {
  it('names the field a typo most likely means', () => {
    expect(suggestKey('tittle', ['title', 'team', 'summary'])).toBe('title');
    expect(suggestKey('datePostd', ['datePosted', 'validThrough'])).toBe('datePosted');
    expect(suggestKey('ValidTrough', ['datePosted', 'validThrough'])).toBe('validThrough');
  });

  it('suggests nothing when no field is close', () => {
    expect(suggestKey('benefits', ['title', 'team', 'summary'])).toBeUndefined();
  });
});

describe('extractLinks', () => {
  it('finds inline links, autolinks and reference definitions with their lines, but not code', () => {
    const body = ['See [a](../a/) and <https://example.com/x>.', '```', '[b](../b/)', '```', 'Inline `[c](../c/)` code.', '[ref]: https://example.org/ref'].join('\n');
    expect(extractLinks(body)).toEqual([
      { href: '../a/', line: 1 },
      { href: 'https://example.com/x', line: 1 },
      { href: 'https://example.org/ref', line: 6 },
    ]);
  });
});

describe('the privacy notice', () => {
  it.each([
    ['en', /\*\*6 months after the\s+recruiting process ends\*\*/, /\*\*24 months\*\* instead of 6/],
    ['de', /\*\*6 Monate nach\s+Abschluss des Bewerbungsverfahrens\*\*/, /\*\*24 Monaten\*\* statt 6/],
  ])('in %s promises the storage periods that retention applies (functions/retention/period.ts)', async (locale, ordinary, talentPool) => {
    const { RETENTION_MONTHS } = await import('#functions/retention/period.ts');
    expect(RETENTION_MONTHS).toEqual({ withoutTalentPool: 6, talentPool: 24 });
    const text = await readFile(`${ROOT}content/pages/${locale}/privacy.md`, 'utf8');
    expect(text).toMatch(ordinary);
    expect(text).toMatch(talentPool);
  });
});
