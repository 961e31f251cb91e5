/**
 * The application form, as ONE zod schema: the server validates with it, and the form's HTML
 * constraints (`applicationFieldConstraints`) and client-side messages (`errors` of each field)
 * are derived from the same limit constants it uses. Every error message is a UI-string KEY
 * (content/ui/<locale>.json), never English text; `messageParams` supplies the `{name}` values.
 *
 * Framework-free: no Astro, no bindings. Runs in workerd, Node and (if ever bundled) browsers.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Limits: the schema and the HTML constraints both read these, so they cannot drift apart.

/** Most characters of a first or last name. */
export const NAME_MAX_LENGTH = 100;
/** Most characters of an e-mail address (RFC 5321 path limit). */
export const EMAIL_MAX_LENGTH = 254;
/** Most characters of a phone number as typed (spaces, brackets and dashes included). */
export const PHONE_MAX_LENGTH = 30;
/** Fewest digits a phone number has (short national numbers included). */
export const PHONE_MIN_DIGITS = 5;
/**
 * A lenient international phone number: optional leading "+", then digits, spaces, dots,
 * slashes, brackets and dashes. Written so it is valid both as a JS `u`/`v` regex and as an
 * HTML `pattern` attribute (which browsers compile with the `v` flag).
 */
export const PHONE_PATTERN = '\\+?[0-9 .\\(\\)\\/\\-]{5,30}';
/** Most characters of the university's name. */
export const UNIVERSITY_MAX_LENGTH = 200;
/** The degrees one can choose, in the order the form lists them. */
export const DEGREES = ['bachelor', 'master', 'phd', 'other'] as const;
/** `YYYY-MM`, months 01–12, years 1900–2199. */
export const MONTH_PATTERN = '(?:19|20|21)[0-9]{2}-(?:0[1-9]|1[0-2])';
/** Shortest internship, in months. */
export const DURATION_MIN_MONTHS = 3;
/** Longest internship, in months. */
export const DURATION_MAX_MONTHS = 12;
/** The duration the postings prefer (the form says so; not enforced). */
export const DURATION_PREFERRED_MIN_MONTHS = 6;
/** Most links, one per line. */
export const LINKS_MAX_COUNT = 5;
/** Most characters of the links field altogether (five long URLs fit). */
export const LINKS_MAX_LENGTH = 2_500;
/** Most characters of the motivation (newlines count once, as in the browser). */
export const MOTIVATION_MAX_LENGTH = 4_000;
/** Largest CV in bytes: 10 MB. */
export const CV_MAX_BYTES = 10 * 1024 * 1024;
/** The CV's size limit in MB, for messages. */
export const CV_MAX_MEGABYTES = CV_MAX_BYTES / (1024 * 1024);
/** A PDF starts with these bytes, whatever its name or declared type says. */
export const PDF_MAGIC = '%PDF-';
/** What the file picker offers: PDFs. */
export const CV_ACCEPT = 'application/pdf,.pdf';
/** Name of the honeypot field: hidden from people, filled by bots. */
export const HONEYPOT_FIELD = 'website';

/** The form's field names, in the order the form shows them (the error summary follows it). */
export const APPLICATION_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'university',
  'degree',
  'graduation',
  'startDate',
  'durationMonths',
  'links',
  'motivation',
  'cv',
  'privacy',
  'talentPool',
  HONEYPOT_FIELD,
] as const;

/** One field of the application form. */
export type ApplicationField = (typeof APPLICATION_FIELDS)[number];

/** Every UI-string key a field's validation can produce. */
export const FIELD_ERROR_KEYS = [
  'form.error.required',
  'form.error.tooLong',
  'form.error.email',
  'form.error.phone',
  'form.error.degree',
  'form.error.graduation',
  'form.error.startDate',
  'form.error.startDatePast',
  'form.error.durationMonths',
  'form.error.links',
  'form.error.linksTooMany',
  'form.error.cvRequired',
  'form.error.cvSize',
  'form.error.cvType',
  'form.error.privacy',
  'form.error.turnstile',
] as const;

/** A UI-string key of a field error, e.g. "form.error.email". */
export type FieldErrorKey = (typeof FIELD_ERROR_KEYS)[number];

/** Values filled into a message's `{name}` placeholders. */
export type MessageParams = Record<string, string | number>;

// ---------------------------------------------------------------------------------------------
// Helpers

/** Today's date in Berlin (where the internships are), `YYYY-MM-DD`, for "not in the past". */
export function berlinToday(now: Date): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** Whether a `YYYY-MM-DD` string names a real calendar day (no 2027-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Whether the bytes start with `%PDF-`. */
export function hasPdfMagic(bytes: Uint8Array): boolean {
  if (bytes.length < PDF_MAGIC.length) return false;
  for (let index = 0; index < PDF_MAGIC.length; index += 1) {
    if (bytes[index] !== PDF_MAGIC.charCodeAt(index)) return false;
  }
  return true;
}

/** Browsers submit textarea newlines as CRLF but count them once for maxlength: so do we. */
const normalizeNewlines = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value);

/** Form data arrives as strings; a missing field is `undefined`, treated like an empty one. */
const asText = (value: unknown) => (value === undefined || value === null ? '' : value);

const CHECKBOX_OFF = new Set(['', 'false', '0', 'off', 'no']);
/** A checkbox is on when sent with any value but an "off" word (the JSON API may send "true"). */
const checkbox = z.preprocess(
  (value) => typeof value === 'string' && !CHECKBOX_OFF.has(value.trim().toLowerCase()),
  z.boolean(),
);

const phoneRegExp = new RegExp(`^(?:${PHONE_PATTERN})$`, 'v');
const monthRegExp = new RegExp(`^(?:${MONTH_PATTERN})$`, 'v');

/** Required single-line text of at most `max` characters, trimmed. */
const requiredText = (max: number) =>
  z.preprocess(
    asText,
    z
      .string({ error: 'form.error.required' })
      .trim()
      .min(1, { error: 'form.error.required', abort: true })
      .max(max, { error: 'form.error.tooLong' }),
  );

/** The CV as the form sends it: a non-empty file, at most 10 MB, whose bytes start `%PDF-`. */
const cvSchema = z
  .custom<Blob>((value) => value instanceof Blob && value.size > 0, { error: 'form.error.cvRequired', abort: true })
  .refine((file) => file.size <= CV_MAX_BYTES, { error: 'form.error.cvSize', abort: true })
  .refine(async (file) => hasPdfMagic(new Uint8Array(await file.slice(0, PDF_MAGIC.length).arrayBuffer())), {
    error: 'form.error.cvType',
  });

/** What the schema needs to know about the moment of submission. */
export interface ApplicationSchemaOptions {
  /** The current instant; "not in the past" compares with this day in Europe/Berlin. */
  now: Date;
}

/**
 * The application form's schema. Input: the form's entries as strings (and the CV as a File
 * or Blob); output: the typed answers. Parse with `safeParseAsync` (the CV's bytes are read).
 * Unknown fields (job, locale, Turnstile token, idempotency key) are stripped.
 */
export function createApplicationSchema({ now }: ApplicationSchemaOptions) {
  const today = berlinToday(now);
  return z.object({
    /** Given name(s), 1–100 characters. */
    firstName: requiredText(NAME_MAX_LENGTH),
    /** Family name(s), 1–100 characters. */
    lastName: requiredText(NAME_MAX_LENGTH),
    /** Where we answer; a valid address. */
    email: z.preprocess(
      asText,
      z
        .string()
        .trim()
        .min(1, { error: 'form.error.required', abort: true })
        .max(EMAIL_MAX_LENGTH, { error: 'form.error.tooLong', abort: true })
        .pipe(z.email({ error: 'form.error.email' })),
    ),
    /** Optional phone number in a lenient international format; empty becomes undefined. */
    phone: z.preprocess(
      asText,
      z
        .string()
        .trim()
        .refine((value) => value === '' || (phoneRegExp.test(value) && (value.match(/\d/g)?.length ?? 0) >= PHONE_MIN_DIGITS), {
          error: 'form.error.phone',
        })
        .transform((value) => value || undefined),
    ),
    /** The university (or school) the applicant attends or attended. */
    university: requiredText(UNIVERSITY_MAX_LENGTH),
    /** The degree pursued: bachelor, master, phd or other. */
    degree: z.preprocess(
      asText,
      z
        .string()
        .trim()
        .min(1, { error: 'form.error.required', abort: true })
        .pipe(z.enum(DEGREES, { error: 'form.error.degree' })),
    ),
    /** Month of (expected) graduation, `YYYY-MM`. */
    graduation: z.preprocess(
      asText,
      z
        .string()
        .trim()
        .min(1, { error: 'form.error.required', abort: true })
        .regex(monthRegExp, { error: 'form.error.graduation' }),
    ),
    /** Earliest start, `YYYY-MM-DD`, today (Berlin) or later. */
    startDate: z.preprocess(
      asText,
      z
        .string()
        .trim()
        .min(1, { error: 'form.error.required', abort: true })
        .refine(isCalendarDate, { error: 'form.error.startDate', abort: true })
        // ISO dates compare correctly as strings.
        .refine((value) => value >= today, { error: 'form.error.startDatePast' }),
    ),
    /** Length of the internship in whole months, 3–12. */
    durationMonths: z.preprocess(
      asText,
      z
        .string()
        .trim()
        .min(1, { error: 'form.error.required', abort: true })
        .regex(/^\d{1,2}$/, { error: 'form.error.durationMonths', abort: true })
        .transform(Number)
        .pipe(
          z
            .number()
            .int()
            .min(DURATION_MIN_MONTHS, { error: 'form.error.durationMonths' })
            .max(DURATION_MAX_MONTHS, { error: 'form.error.durationMonths' }),
        ),
    ),
    /** Up to 5 http(s) URLs, one per line (LinkedIn, GitHub, Scholar, portfolio). */
    links: z.preprocess(
      (value) => normalizeNewlines(asText(value)),
      z
        .string()
        .max(LINKS_MAX_LENGTH, { error: 'form.error.tooLong', abort: true })
        .transform((value) =>
          value
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
        )
        .pipe(
          z
            .array(z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: 'form.error.links' }))
            .max(LINKS_MAX_COUNT, { error: 'form.error.linksTooMany' }),
        ),
    ),
    /** Optional free text, at most 4,000 characters; empty becomes undefined. */
    motivation: z.preprocess(
      (value) => normalizeNewlines(asText(value)),
      z
        .string()
        .max(MOTIVATION_MAX_LENGTH, { error: 'form.error.tooLong' })
        .transform((value) => (value.trim() ? value.trim() : undefined)),
    ),
    /** The CV: a PDF of at most 10 MB, recognised by its bytes. */
    cv: cvSchema,
    /** Has read the privacy notice; required. */
    privacy: checkbox.pipe(z.literal(true, { error: 'form.error.privacy' })),
    /** Keep the data for 24 months for other roles; optional consent. */
    talentPool: checkbox,
    /** Honeypot: must stay empty. The handler answers bots before validating, see handler.ts. */
    [HONEYPOT_FIELD]: z.preprocess(asText, z.string()),
  });
}

/** The schema's type. */
export type ApplicationSchema = ReturnType<typeof createApplicationSchema>;
/** The validated answers of one application. */
export type ApplicationAnswers = z.output<ApplicationSchema>;

// ---------------------------------------------------------------------------------------------
// Messages

/** The `{name}` values of a field's error message, e.g. `{ max: 100 }` for tooLong. */
export function messageParams(field: ApplicationField | string, key: FieldErrorKey): MessageParams {
  switch (key) {
    case 'form.error.tooLong':
      return { max: MAX_LENGTHS[field as keyof typeof MAX_LENGTHS] ?? 0 };
    case 'form.error.durationMonths':
      return { min: DURATION_MIN_MONTHS, max: DURATION_MAX_MONTHS };
    case 'form.error.linksTooMany':
      return { max: LINKS_MAX_COUNT };
    case 'form.error.cvSize':
      return { maxMb: CV_MAX_MEGABYTES };
    default:
      return {};
  }
}

const MAX_LENGTHS = {
  firstName: NAME_MAX_LENGTH,
  lastName: NAME_MAX_LENGTH,
  email: EMAIL_MAX_LENGTH,
  phone: PHONE_MAX_LENGTH,
  university: UNIVERSITY_MAX_LENGTH,
  links: LINKS_MAX_LENGTH,
  motivation: MOTIVATION_MAX_LENGTH,
} as const;

/** One field problem found by the schema: which field, which message key, which values. */
export interface ApplicationFieldError {
  field: ApplicationField;
  key: FieldErrorKey;
  params: MessageParams;
}

const isFieldErrorKey = (value: string): value is FieldErrorKey => FIELD_ERROR_KEYS.some((key) => key === value);
const isApplicationField = (value: unknown): value is ApplicationField =>
  APPLICATION_FIELDS.some((field) => field === value);

/**
 * Turns zod issues into one error per field (the first one found), in form order. An issue
 * whose message is not a known key (a schema bug) becomes "required" rather than leaking text.
 */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): ApplicationFieldError[] {
  const byField = new Map<ApplicationField, FieldErrorKey>();
  for (const issue of issues) {
    const field = issue.path[0];
    if (!isApplicationField(field) || byField.has(field)) continue;
    byField.set(field, isFieldErrorKey(issue.message) ? issue.message : 'form.error.required');
  }
  return APPLICATION_FIELDS.filter((field) => byField.has(field)).map((field) => {
    const key = byField.get(field) ?? 'form.error.required';
    return { field, key, params: messageParams(field, key) };
  });
}

// ---------------------------------------------------------------------------------------------
// HTML constraints

/** HTML attributes for a field's control, ready to spread: `<input {...attributes} />`. */
export type HtmlConstraintAttributes = Record<string, string | number | boolean>;

/** What the form needs to render one field and its client-side messages. */
export interface FieldConstraint {
  /** The field's name (the form control's `name`). */
  name: ApplicationField;
  /** The control to render. */
  control: 'input' | 'textarea' | 'select' | 'checkbox' | 'file' | 'honeypot';
  /** Whether the field must be filled. */
  required: boolean;
  /** Attributes the control carries (name, type, required, maxlength, min, max, pattern, accept …). */
  attributes: HtmlConstraintAttributes;
  /** Choices of a select, in order. */
  options?: readonly string[];
  /** Every message the field can show, with its values, to embed for the client script. */
  errors: ReadonlyArray<{ key: FieldErrorKey; params: MessageParams }>;
}

/** Options for the constraints. */
export interface FieldConstraintOptions {
  /**
   * The current instant, to set `min` on startDate. Leave it out for prerendered pages: a
   * build-time `min` would go stale, and the server checks the date anyway.
   */
  now?: Date;
}

const withParams = (field: ApplicationField, keys: readonly FieldErrorKey[]) =>
  keys.map((key) => ({ key, params: messageParams(field, key) }));

/**
 * Per-field HTML constraints and possible error keys, derived from the same limits the schema
 * enforces. The honeypot's entry is for rendering it (hidden, not tab-reachable, no autofill).
 */
export function applicationFieldConstraints(options: FieldConstraintOptions = {}): Record<ApplicationField, FieldConstraint> {
  const textInput = (name: ApplicationField, type: string, maxlength: number, extra: HtmlConstraintAttributes = {}) => ({
    name,
    type,
    required: true,
    maxlength,
    ...extra,
  });
  return {
    firstName: {
      name: 'firstName',
      control: 'input',
      required: true,
      attributes: textInput('firstName', 'text', NAME_MAX_LENGTH, { autocomplete: 'given-name' }),
      errors: withParams('firstName', ['form.error.required', 'form.error.tooLong']),
    },
    lastName: {
      name: 'lastName',
      control: 'input',
      required: true,
      attributes: textInput('lastName', 'text', NAME_MAX_LENGTH, { autocomplete: 'family-name' }),
      errors: withParams('lastName', ['form.error.required', 'form.error.tooLong']),
    },
    email: {
      name: 'email',
      control: 'input',
      required: true,
      attributes: textInput('email', 'email', EMAIL_MAX_LENGTH, { autocomplete: 'email', spellcheck: 'false' }),
      errors: withParams('email', ['form.error.required', 'form.error.tooLong', 'form.error.email']),
    },
    phone: {
      name: 'phone',
      control: 'input',
      required: false,
      attributes: {
        name: 'phone',
        type: 'tel',
        maxlength: PHONE_MAX_LENGTH,
        pattern: PHONE_PATTERN,
        autocomplete: 'tel',
      },
      errors: withParams('phone', ['form.error.phone']),
    },
    university: {
      name: 'university',
      control: 'input',
      required: true,
      attributes: textInput('university', 'text', UNIVERSITY_MAX_LENGTH, { autocomplete: 'organization' }),
      errors: withParams('university', ['form.error.required', 'form.error.tooLong']),
    },
    degree: {
      name: 'degree',
      control: 'select',
      required: true,
      attributes: { name: 'degree', required: true },
      options: DEGREES,
      errors: withParams('degree', ['form.error.required', 'form.error.degree']),
    },
    graduation: {
      name: 'graduation',
      control: 'input',
      required: true,
      // `pattern` and `placeholder` are not allowed on type=month (HTML); browsers without a
      // month picker show a text box, which the form's hint, the script and the server check.
      attributes: { name: 'graduation', type: 'month', required: true },
      errors: withParams('graduation', ['form.error.required', 'form.error.graduation']),
    },
    startDate: {
      name: 'startDate',
      control: 'input',
      required: true,
      attributes: {
        name: 'startDate',
        type: 'date',
        required: true,
        ...(options.now ? { min: berlinToday(options.now) } : {}),
      },
      errors: withParams('startDate', ['form.error.required', 'form.error.startDate', 'form.error.startDatePast']),
    },
    durationMonths: {
      name: 'durationMonths',
      control: 'input',
      required: true,
      attributes: {
        name: 'durationMonths',
        type: 'number',
        required: true,
        min: DURATION_MIN_MONTHS,
        max: DURATION_MAX_MONTHS,
        step: 1,
        inputmode: 'numeric',
      },
      errors: withParams('durationMonths', ['form.error.required', 'form.error.durationMonths']),
    },
    links: {
      name: 'links',
      control: 'textarea',
      required: false,
      attributes: { name: 'links', maxlength: LINKS_MAX_LENGTH, rows: LINKS_MAX_COUNT, spellcheck: 'false', autocomplete: 'url' },
      errors: withParams('links', ['form.error.tooLong', 'form.error.links', 'form.error.linksTooMany']),
    },
    motivation: {
      name: 'motivation',
      control: 'textarea',
      required: false,
      attributes: { name: 'motivation', maxlength: MOTIVATION_MAX_LENGTH, rows: 8 },
      errors: withParams('motivation', ['form.error.tooLong']),
    },
    cv: {
      name: 'cv',
      control: 'file',
      required: true,
      attributes: { name: 'cv', type: 'file', required: true, accept: CV_ACCEPT },
      errors: withParams('cv', ['form.error.cvRequired', 'form.error.cvSize', 'form.error.cvType']),
    },
    privacy: {
      name: 'privacy',
      control: 'checkbox',
      required: true,
      attributes: { name: 'privacy', type: 'checkbox', required: true, value: 'yes' },
      errors: withParams('privacy', ['form.error.privacy']),
    },
    talentPool: {
      name: 'talentPool',
      control: 'checkbox',
      required: false,
      attributes: { name: 'talentPool', type: 'checkbox', value: 'yes' },
      errors: [],
    },
    [HONEYPOT_FIELD]: {
      name: HONEYPOT_FIELD,
      control: 'honeypot',
      required: false,
      attributes: { name: HONEYPOT_FIELD, type: 'text', tabindex: -1, autocomplete: 'off', value: '' },
      errors: [],
    },
  };
}
