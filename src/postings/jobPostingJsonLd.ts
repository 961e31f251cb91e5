/**
 * The schema.org JobPosting of a posting, following Google's rules for job posting structured
 * data: the ONE generator behind the posting page's JSON-LD and `…/posting.jsonld` for hosts.
 */
import { applicationDeadline } from '#functions/postings/lifecycle.ts';
import { isoDay } from '#functions/time.ts';
import type { Posting } from '#src/postings/contentIndex.ts';

/**
 * The JobPosting object of a posting: `bodyHtml` is its rendered body, `url` the absolute URL
 * of its page (from SITE_URL).
 */
export function jobPostingJsonLd(posting: Posting, bodyHtml: string, url: string): Record<string, unknown> {
  const job = posting.data;
  // The last instant applications are taken: the end of the validThrough day in Munich.
  const deadline = applicationDeadline(job);
  return {
    '@context': 'https://schema.org',
    '@type': 'JobPosting',
    title: job.title,
    // The rendered body, exactly as shown on the page (Google wants them to match).
    description: bodyHtml,
    datePosted: isoDay(job.datePosted),
    ...(deadline && { validThrough: new Date(deadline.getTime() - 1000).toISOString() }),
    employmentType: job.employmentType,
    // Stable identifier of the posting, the same in every language.
    identifier: { '@type': 'PropertyValue', name: job.hiringOrganization.name, value: posting.slug },
    hiringOrganization: { '@type': 'Organization', name: job.hiringOrganization.name, sameAs: job.hiringOrganization.url },
    jobLocation: {
      '@type': 'Place',
      address: {
        '@type': 'PostalAddress',
        streetAddress: job.location.streetAddress,
        postalCode: job.location.postalCode,
        addressLocality: job.location.city,
        addressRegion: job.location.region,
        addressCountry: job.location.countryCode,
      },
    },
    ...(job.workplace === 'remote' && { jobLocationType: 'TELECOMMUTE' }),
    ...(job.salary && {
      baseSalary: {
        '@type': 'MonetaryAmount',
        currency: job.salary.currency,
        value: { '@type': 'QuantitativeValue', minValue: job.salary.min, maxValue: job.salary.max, unitText: job.salary.unit },
      },
    }),
    url,
  };
}

/**
 * JSON-LD as text that is safe inside a `<script>` element as it is: "<" is escaped, so no text
 * in a posting can close the element (hosts paste `posting.jsonld` into their head verbatim).
 */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}
