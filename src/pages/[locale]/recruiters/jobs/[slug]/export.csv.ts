/**
 * `<base><locale>/recruiters/jobs/<slug>/export.csv`: every application of a posting as CSV,
 * headers, words, times (Munich) and list separator as the recruiter's language and spreadsheet
 * expect them (functions/recruiters/inbox.ts; the export is recorded).
 * A posting that neither the content nor any application knows is 404, as its page is, and
 * nothing is recorded.
 */
import type { APIRoute } from 'astro';
import { EXPORT_COLUMNS, exportPosting, type AnswerColumn, type ExportColumn } from '#functions/recruiters/inbox.ts';
import { isLocale, LOCALE_INFO } from '#src/i18n/locales.ts';
import { findPosting } from '#src/server/content.ts';
import { degreeName, translate } from '#src/i18n/ui.ts';
import { SLUG_PATTERN } from '#src/schemas/job.ts';
import type { UiKey } from '#src/schemas/ui.ts';
import { inboxDeps } from '#src/server/recruiters.ts';

export const prerender = false;

/** The UI string of each column's header that is not an answer (answers use the form's labels). */
const HEADER_KEYS: Record<Exclude<ExportColumn, AnswerColumn>, UiKey> = {
  reference: 'inbox.export.reference',
  submittedAt: 'inbox.export.submittedAt',
  status: 'inbox.export.status',
  talentPool: 'inbox.export.talentPool',
  privacyNoticeVersion: 'inbox.export.privacyNoticeVersion',
  privacyConsentedAt: 'inbox.export.privacyConsentedAt',
  processEndedAt: 'inbox.export.processEndedAt',
};
const headerKey = (column: ExportColumn): UiKey => (column in HEADER_KEYS ? HEADER_KEYS[column as keyof typeof HEADER_KEYS] : (`form.label.${column}` as UiKey));

export const GET: APIRoute = async ({ params, locals }) => {
  const { locale, slug = '' } = params;
  if (!isLocale(locale) || !locals.recruiter || !SLUG_PATTERN.test(slug)) return new Response(null, { status: 404 });
  const known = (await findPosting(locale, slug)) !== undefined;
  const csv = await exportPosting(inboxDeps(), slug, locals.recruiter, {
    headers: Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, translate(locale, headerKey(column))])) as Record<ExportColumn, string>,
    status: (status) => translate(locale, `status.${status}`),
    degree: (degree) => degreeName(degree, locale),
    yes: translate(locale, 'inbox.yes'),
    no: translate(locale, 'inbox.no'),
    separator: LOCALE_INFO[locale].csvSeparator,
  }, known);
  return csv ?? new Response(null, { status: 404 });
};
