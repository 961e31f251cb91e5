/**
 * The application form's fields, as ONE table: for each field its control, whether it is
 * required, its length limit, its other HTML attributes and every message it can show. The
 * form's HTML constraints (`applicationFieldConstraints`) and the `{name}` values of its
 * messages (`messageParams`) are generated from it; the server's schema (./schema.ts) enforces
 * the same limits from ./limits.ts. Messages are UI-string KEYS (content/ui/<locale>.json).
 */
import {
  CV_ACCEPT,
  CV_MAX_MEGABYTES,
  DEGREES,
  DURATION_MAX_MONTHS,
  DURATION_MIN_MONTHS,
  EMAIL_MAX_LENGTH,
  LINKS_MAX_COUNT,
  LINKS_MAX_LENGTH,
  MOTIVATION_MAX_LENGTH,
  NAME_MAX_LENGTH,
  PHONE_MAX_LENGTH,
  PHONE_PATTERN,
  UNIVERSITY_MAX_LENGTH,
} from '#functions/applications/limits.ts';
import { todayInMunich } from '#functions/time.ts';

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
  'form.error.requiredChoice',
  'form.error.requiredMonth',
  'form.error.requiredDate',
  'form.error.tooLong',
  'form.error.characters',
  'form.error.email',
  'form.error.phone',
  'form.error.degree',
  'form.error.graduation',
  'form.error.startDate',
  'form.error.startDatePast',
  'form.error.durationMonths',
  'form.error.links',
  'form.error.linkSpaces',
  'form.error.linkCredentials',
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

/** HTML attributes for a field's control, ready to spread: `<input {...attributes} />`. */
export type HtmlConstraintAttributes = Record<string, string | number | boolean>;

/** One row of the field table. */
interface FieldSpec {
  /** The control to render. */
  control: 'input' | 'textarea' | 'select' | 'checkbox' | 'file' | 'honeypot';
  /** Whether the field must be filled. */
  required: boolean;
  /**
   * The message of a required field left empty, in the words its control needs ("choose",
   * "enter a date"); the key's name starts with `form.error.required` (the script finds it so).
   */
  requiredError?: Extract<FieldErrorKey, `form.error.required${string}`>;
  /** Most characters (the `maxlength` attribute and the tooLong message's `{max}`). */
  maxLength?: number;
  /** Whether the value is a day that must not be in the past (the `min` attribute, when the moment is known). */
  notBeforeToday?: boolean;
  /** Further attributes of the control. */
  attributes: HtmlConstraintAttributes;
  /** Choices of a select, in order. */
  options?: readonly string[];
  /** Every message the field can show. */
  errors: readonly FieldErrorKey[];
}

/** A required single-line input of at most `maxLength` characters (type text unless given). */
const requiredLine = (maxLength: number, attributes: HtmlConstraintAttributes, errors: readonly FieldErrorKey[]): FieldSpec => ({
  control: 'input',
  required: true,
  maxLength,
  attributes: { type: 'text', ...attributes },
  errors: ['form.error.required', 'form.error.tooLong', ...errors],
});

const FIELDS = {
  firstName: requiredLine(NAME_MAX_LENGTH, { autocomplete: 'given-name' }, ['form.error.characters']),
  lastName: requiredLine(NAME_MAX_LENGTH, { autocomplete: 'family-name' }, ['form.error.characters']),
  email: requiredLine(EMAIL_MAX_LENGTH, { type: 'email', autocomplete: 'email', spellcheck: 'false' }, ['form.error.email']),
  phone: {
    control: 'input',
    required: false,
    maxLength: PHONE_MAX_LENGTH,
    attributes: { type: 'tel', pattern: PHONE_PATTERN, autocomplete: 'tel' },
    errors: ['form.error.phone'],
  },
  university: requiredLine(UNIVERSITY_MAX_LENGTH, { autocomplete: 'organization' }, ['form.error.characters']),
  degree: {
    control: 'select',
    required: true,
    requiredError: 'form.error.requiredChoice',
    attributes: {},
    options: DEGREES,
    errors: ['form.error.requiredChoice', 'form.error.degree'],
  },
  // `pattern` and `placeholder` are not allowed on type=month (HTML); browsers without a month
  // picker show a text box, which the form's hint, the script and the server check.
  graduation: {
    control: 'input',
    required: true,
    requiredError: 'form.error.requiredMonth',
    attributes: { type: 'month' },
    errors: ['form.error.requiredMonth', 'form.error.graduation'],
  },
  startDate: {
    control: 'input',
    required: true,
    requiredError: 'form.error.requiredDate',
    notBeforeToday: true,
    attributes: { type: 'date' },
    errors: ['form.error.requiredDate', 'form.error.startDate', 'form.error.startDatePast'],
  },
  durationMonths: {
    control: 'input',
    required: true,
    attributes: { type: 'number', min: DURATION_MIN_MONTHS, max: DURATION_MAX_MONTHS, step: 1, inputmode: 'numeric' },
    errors: ['form.error.required', 'form.error.durationMonths'],
  },
  links: {
    control: 'textarea',
    required: false,
    maxLength: LINKS_MAX_LENGTH,
    attributes: { rows: LINKS_MAX_COUNT, spellcheck: 'false', autocomplete: 'url' },
    errors: ['form.error.tooLong', 'form.error.links', 'form.error.linkSpaces', 'form.error.linkCredentials', 'form.error.linksTooMany'],
  },
  motivation: { control: 'textarea', required: false, maxLength: MOTIVATION_MAX_LENGTH, attributes: { rows: 8 }, errors: ['form.error.tooLong'] },
  cv: { control: 'file', required: true, attributes: { type: 'file', accept: CV_ACCEPT }, errors: ['form.error.cvRequired', 'form.error.cvSize', 'form.error.cvType'] },
  privacy: { control: 'checkbox', required: true, attributes: { type: 'checkbox', value: 'yes' }, errors: ['form.error.privacy'] },
  talentPool: { control: 'checkbox', required: false, attributes: { type: 'checkbox', value: 'yes' }, errors: [] },
  // Rendered for bots only: hidden, not tab-reachable, no autofill.
  [HONEYPOT_FIELD]: { control: 'honeypot', required: false, attributes: { type: 'text', tabindex: -1, autocomplete: 'off', value: '' }, errors: [] },
} as const satisfies Record<ApplicationField, FieldSpec>;
const FIELD_SPECS: Record<ApplicationField, FieldSpec> = FIELDS;

/** The message of a required field left empty: "Please fill in", or the words its control needs. */
export function requiredErrorOf(field: ApplicationField): FieldErrorKey {
  return FIELD_SPECS[field].requiredError ?? 'form.error.required';
}

/** The `{name}` values of a field's error message, e.g. `{ max: 100 }` for tooLong. */
export function messageParams(field: ApplicationField, key: FieldErrorKey): MessageParams {
  switch (key) {
    case 'form.error.tooLong':
      return { max: FIELD_SPECS[field].maxLength ?? 0 };
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

/** What the form needs to render one field and its client-side messages. */
export interface FieldConstraint {
  /** The field's name (the form control's `name`). */
  name: ApplicationField;
  /** The control to render. */
  control: FieldSpec['control'];
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

/** Per-field HTML constraints and possible messages, generated from the field table. */
export function applicationFieldConstraints(options: FieldConstraintOptions = {}): Record<ApplicationField, FieldConstraint> {
  const constraint = (name: ApplicationField): FieldConstraint => {
    const spec = FIELD_SPECS[name];
    return {
      name,
      control: spec.control,
      required: spec.required,
      attributes: {
        name,
        ...spec.attributes,
        ...(spec.required && { required: true }),
        ...(spec.maxLength !== undefined && { maxlength: spec.maxLength }),
        ...(spec.notBeforeToday && options.now && { min: todayInMunich(options.now) }),
      },
      ...(spec.options && { options: spec.options }),
      errors: spec.errors.map((key) => ({ key, params: messageParams(name, key) })),
    };
  };
  return Object.fromEntries(APPLICATION_FIELDS.map((name) => [name, constraint(name)])) as Record<ApplicationField, FieldConstraint>;
}
