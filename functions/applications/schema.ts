/**
 * The application form as ONE zod schema: the server validates with it. Its limits and rules
 * come from ./limits.ts (shared with the browser script), its field names from ./fields.ts.
 * Every error message is a UI-string KEY (content/ui/<locale>.json), never English text.
 *
 * Framework-free: no Astro, no bindings.
 */
import { z } from 'zod';
import { HONEYPOT_FIELD, requiredErrorOf, type FieldErrorKey } from '#functions/applications/fields.ts';
import {
  CV_MAX_BYTES,
  DEGREES,
  DURATION_MAX_MONTHS,
  DURATION_MIN_MONTHS,
  EMAIL_MAX_LENGTH,
  hasPdfMagic,
  isMonth,
  isPhoneNumber,
  LINKS_MAX_COUNT,
  LINKS_MAX_LENGTH,
  MOTIVATION_MAX_LENGTH,
  NAME_MAX_LENGTH,
  normalizeNewlines,
  parseWebLink,
  PDF_MAGIC,
  splitLinks,
  UNIVERSITY_MAX_LENGTH,
} from '#functions/applications/limits.ts';
import { hasUnsafeLineCharacters } from '#functions/text.ts';
import { isCalendarDate, todayInMunich } from '#functions/time.ts';

/** Form data arrives as strings; a missing field is `undefined`, treated like an empty one. */
const asText = (value: unknown) => (value === undefined || value === null ? '' : value);
/** Browsers submit textarea newlines as CRLF but count them once for maxlength: so do we. */
const asTextLines = (value: unknown) => {
  const text = asText(value);
  return typeof text === 'string' ? normalizeNewlines(text) : text;
};

const CHECKBOX_OFF = new Set(['', 'false', '0', 'off', 'no']);
/** A checkbox is on when sent with any value but an "off" word (the JSON API may send "true"). */
const checkbox = z.preprocess((value) => typeof value === 'string' && !CHECKBOX_OFF.has(value.trim().toLowerCase()), z.boolean());

/** Text that must be filled: trimmed, at least one character; `error` when it is empty. */
const filled = (error: FieldErrorKey = 'form.error.required') => z.string({ error }).trim().min(1, { error, abort: true });

/**
 * Required single-line text of at most `max` characters, trimmed, without line breaks,
 * control, bidi or other invisible format characters (they could fake lines in a recruiter's
 * e-mail or reorder what it shows).
 */
const requiredText = (max: number) =>
  z.preprocess(
    asText,
    filled()
      .max(max, { error: 'form.error.tooLong', abort: true })
      .refine((value) => !hasUnsafeLineCharacters(value), { error: 'form.error.characters' }),
  );

/** One line of the links field, stored as the URL parser normalizes it (see `parseWebLink`). */
const webLink = z.string().transform((line, context) => {
  const link = parseWebLink(line);
  if ('href' in link) return link.href;
  context.addIssue({ code: 'custom', message: link.problem });
  return z.NEVER;
});

/** The CV as the form sends it: a non-empty file, at most 10 MB, whose bytes start `%PDF-`. */
const cvSchema = z
  .custom<Blob>((value) => value instanceof Blob && value.size > 0, { error: 'form.error.cvRequired', abort: true })
  .refine((file) => file.size <= CV_MAX_BYTES, { error: 'form.error.cvSize', abort: true })
  .refine(async (file) => hasPdfMagic(new Uint8Array(await file.slice(0, PDF_MAGIC.length).arrayBuffer())), { error: 'form.error.cvType' });

/** What the schema needs to know about the moment of submission. */
export interface ApplicationSchemaOptions {
  /** The current instant; "not in the past" compares with this day in Munich. */
  now: Date;
}

/**
 * The application form's schema. Input: the form's entries as strings (and the CV as a File
 * or Blob); output: the typed answers. Parse with `safeParseAsync` (the CV's bytes are read).
 * Unknown fields (job, locale, Turnstile token, idempotency key) are stripped.
 */
export function createApplicationSchema({ now }: ApplicationSchemaOptions) {
  const today = todayInMunich(now);
  return z.object({
    /** Given name(s), 1–100 characters. */
    firstName: requiredText(NAME_MAX_LENGTH),
    /** Family name(s), 1–100 characters. */
    lastName: requiredText(NAME_MAX_LENGTH),
    /** Where we answer; a valid address. */
    email: z.preprocess(asText, filled().max(EMAIL_MAX_LENGTH, { error: 'form.error.tooLong', abort: true }).pipe(z.email({ error: 'form.error.email' }))),
    /** Optional phone number in a lenient international format; empty becomes undefined. */
    phone: z.preprocess(
      asText,
      z
        .string()
        .trim()
        .refine((value) => value === '' || isPhoneNumber(value), { error: 'form.error.phone' })
        .transform((value) => value || undefined),
    ),
    /** The university (or school) the applicant attends or attended. */
    university: requiredText(UNIVERSITY_MAX_LENGTH),
    /** The degree pursued: bachelor, master, phd or other. */
    degree: z.preprocess(asText, filled(requiredErrorOf('degree')).pipe(z.enum(DEGREES, { error: 'form.error.degree' }))),
    /** Month of (expected) graduation, `YYYY-MM`. */
    graduation: z.preprocess(asText, filled(requiredErrorOf('graduation')).refine(isMonth, { error: 'form.error.graduation' })),
    /** Earliest start, `YYYY-MM-DD`, today (in Munich) or later. */
    startDate: z.preprocess(
      asText,
      filled(requiredErrorOf('startDate'))
        .refine(isCalendarDate, { error: 'form.error.startDate', abort: true })
        // ISO dates compare correctly as strings.
        .refine((value) => value >= today, { error: 'form.error.startDatePast' }),
    ),
    /** Length of the internship in whole months, 3–12. */
    durationMonths: z.preprocess(
      asText,
      filled()
        .regex(/^\d{1,2}$/, { error: 'form.error.durationMonths', abort: true })
        .transform(Number)
        .pipe(z.number().int().min(DURATION_MIN_MONTHS, { error: 'form.error.durationMonths' }).max(DURATION_MAX_MONTHS, { error: 'form.error.durationMonths' })),
    ),
    /**
     * Up to 5 http(s) URLs, one per line (LinkedIn, GitHub, Scholar, portfolio), each stored
     * normalized: no user name or password, no whitespace.
     */
    links: z.preprocess(
      asTextLines,
      z
        .string()
        .max(LINKS_MAX_LENGTH, { error: 'form.error.tooLong', abort: true })
        .transform(splitLinks)
        .pipe(
          z
            .array(webLink)
            .max(LINKS_MAX_COUNT, { error: 'form.error.linksTooMany' }),
        ),
    ),
    /** Optional free text, at most 4,000 characters; empty becomes undefined. */
    motivation: z.preprocess(
      asTextLines,
      z
        .string()
        .max(MOTIVATION_MAX_LENGTH, { error: 'form.error.tooLong' })
        .transform((value) => value.trim() || undefined),
    ),
    /** The CV: a PDF of at most 10 MB, recognised by its bytes. */
    cv: cvSchema,
    /** Has read the privacy notice; required. */
    privacy: checkbox.pipe(z.literal(true, { error: 'form.error.privacy' })),
    /** Keep the data for 24 months for other roles; optional consent. */
    talentPool: checkbox,
    /** Honeypot: must stay empty. The submission answers bots before validating (submission.ts). */
    [HONEYPOT_FIELD]: z.preprocess(asText, z.string()),
  });
}

/** The schema's type. */
export type ApplicationSchema = ReturnType<typeof createApplicationSchema>;
/** The validated answers of one application. */
export type ApplicationAnswers = z.output<ApplicationSchema>;
