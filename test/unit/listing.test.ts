import { describe, expect, it } from 'vitest';
import { acceptsApplications, acceptsApplicationsOn } from '#functions/postings/lifecycle.ts';
import { openPostings, parseContentIndex, serializeContentIndex, type ContentIndex, type Posting } from '#src/postings/contentIndex.ts';
import { LIST_PAGE_SIZE, listQuery, listView, pageOf, pagerNumbers, parseListPage, selectListPage } from '#src/postings/listing.ts';
import type { Job } from '#src/schemas/job.ts';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** A posting with the given front matter facts; the rest as any valid posting has it. */
function posting(slug: string, facts: Partial<Job> = {}): Posting {
  return {
    locale: 'de',
    slug,
    data: {
      title: `Stelle ${slug}`,
      team: 'Design',
      location: { streetAddress: 'Karlstraße 77', postalCode: '80335', city: 'München', region: 'Bayern', countryCode: 'DE' },
      employmentType: 'FULL_TIME',
      workplace: 'on-site',
      datePosted: day('2026-01-02'),
      status: 'open',
      hiringOrganization: { name: 'Example GmbH', url: 'https://www.example.com' },
      summary: `Zusammenfassung ${slug}.`,
      ...facts,
    },
  };
}

describe('the content index', () => {
  it('comes back from its file as it went in, dates included', () => {
    const index: ContentIndex = {
      locale: 'de',
      privacyNoticeVersion: '2026-11-26',
      postings: [posting('a', { validThrough: day('2026-12-31'), salary: { currency: 'EUR', min: 1, max: 2, unit: 'MONTH' } }), posting('b')],
    };
    const read = parseContentIndex(serializeContentIndex(index));
    expect(read).toEqual(index);
    expect(read.postings[0]?.data.datePosted).toBeInstanceOf(Date);
    expect(read.postings[1]?.data).not.toHaveProperty('validThrough');
  });

  it('knows which postings are open on a Munich day, as the life cycle decides for each', () => {
    const postings = [posting('open'), posting('closed', { status: 'closed' }), posting('until-may', { validThrough: day('2026-05-31') })];
    for (const now of [new Date('2026-05-31T21:59:59Z'), new Date('2026-05-31T22:00:00Z')]) {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(now);
      expect(openPostings(postings, today)).toEqual(postings.filter((candidate) => acceptsApplications(candidate.data, now)));
      for (const candidate of postings) expect(acceptsApplicationsOn(candidate.data, today)).toBe(acceptsApplications(candidate.data, now));
    }
    expect(openPostings(postings, '2026-05-31').map(({ slug }) => slug)).toEqual(['open', 'until-may']);
    expect(openPostings(postings, '2026-06-01').map(({ slug }) => slug)).toEqual(['open']);
  });
});

describe('the pages of the list', () => {
  it('reads the page from the query, a missing or malformed one as the first', () => {
    const page = (query: string) => parseListPage(new URLSearchParams(query));
    expect(page('page=3')).toBe(3);
    expect(page('')).toBe(1);
    for (const malformed of ['page=0', 'page=-1', 'page=1.5', 'page=abc', 'page=', 'page=03', 'page=1e3', 'page=9999999']) expect(page(malformed), malformed).toBe(1);
  });

  it('cuts a list into pages, with one empty page for an empty list and none past the last', () => {
    const items = Array.from({ length: 45 }, (_, index) => index);
    expect(pageOf(items, 1, 20)).toEqual({ items: items.slice(0, 20), page: 1, pageCount: 3, total: 45 });
    expect(pageOf(items, 3, 20)).toEqual({ items: items.slice(40), page: 3, pageCount: 3, total: 45 });
    expect(pageOf(items, 4, 20)).toBeUndefined();
    expect(pageOf(items, 0, 20)).toBeUndefined();
    expect(pageOf([], 1, 20)).toEqual({ items: [], page: 1, pageCount: 1, total: 0 });
    expect(pageOf([], 2, 20)).toBeUndefined();
  });

  it('links the first, the last and the neighbours of the current page, with gaps for the rest', () => {
    expect(pagerNumbers(1, 1)).toEqual([1]);
    expect(pagerNumbers(2, 4)).toEqual([1, 2, 3, 4]);
    expect(pagerNumbers(1, 50)).toEqual([1, 2, null, 50]);
    expect(pagerNumbers(25, 50)).toEqual([1, null, 24, 25, 26, null, 50]);
    // A gap of a single page shows that page instead of an ellipsis.
    expect(pagerNumbers(4, 50)).toEqual([1, 2, 3, 4, 5, null, 50]);
    expect(pagerNumbers(50, 50)).toEqual([1, null, 49, 50]);
  });

  it('keeps the filters in every page link and leaves out the first page number', () => {
    expect(listQuery({}, 1)).toBe('');
    expect(listQuery({}, 2)).toBe('?page=2');
    expect(listQuery({ team: 'Kundensupport & Service', location: 'München', type: 'INTERN' }, 3)).toBe('?team=Kundensupport+%26+Service&location=M%C3%BCnchen&type=INTERN&page=3');
  });

  it('orders the open postings by team, pages them, and gives the filter choices of all of them', () => {
    const open = Array.from({ length: 30 }, (_, index) =>
      posting(`p${index}`, { team: index % 3 === 0 ? 'Ärzte' : index % 3 === 1 ? 'Finanzen' : 'Design', location: { ...posting('x').data.location, city: index < 15 ? 'München' : 'Berlin' } }),
    );
    const first = selectListPage(open, {}, 1, 'de');
    expect(first?.current).toMatchObject({ page: 1, pageCount: 2, total: 30 });
    expect(first?.current.items).toHaveLength(LIST_PAGE_SIZE);
    expect(first?.current.items.slice(0, 10).every(({ data }) => data.team === 'Ärzte')).toBe(true);
    expect(first?.current.items.slice(10, 20).every(({ data }) => data.team === 'Design')).toBe(true);
    expect(first?.choices).toEqual({ teams: ['Ärzte', 'Design', 'Finanzen'], locations: ['Berlin', 'München'], types: ['FULL_TIME'] });
    const filtered = selectListPage(open, { team: 'Finanzen', location: 'Berlin' }, 1, 'de');
    expect(filtered?.current.items.map(({ slug }) => slug)).toEqual(['p16', 'p19', 'p22', 'p25', 'p28']);
    expect(filtered?.choices).toEqual(first?.choices);
    expect(filtered?.openCount).toBe(30);
    expect(selectListPage(open, { team: 'Finanzen' }, 2, 'de')).toBeUndefined();
  });

  it('works the order and the choices out once for a set of open postings', () => {
    const open = [posting('a'), posting('b')];
    expect(listView(open, 'de')).toBe(listView(open, 'de'));
    expect(listView([...open], 'de')).not.toBe(listView(open, 'de'));
  });
});
