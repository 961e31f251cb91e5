/**
 * A stored application as delivery reads it back from D1: the row parsed by zod (the answers
 * column is JSON written by functions/applications), never trusted blindly.
 */
import { z } from 'zod';

/** The answers as the application schema stores them; unknown extra fields are kept. */
const answersSchema = z.looseObject({
  /** Given name. */
  firstName: z.string(),
  /** Family name. */
  lastName: z.string(),
  /** The applicant's e-mail address. */
  email: z.string(),
  /** Phone number, when given. */
  phone: z.string().optional(),
  /** University. */
  university: z.string().optional(),
  /** bachelor, master, phd or other. */
  degree: z.string().optional(),
  /** `YYYY-MM`. */
  graduation: z.string().optional(),
  /** `YYYY-MM-DD`. */
  startDate: z.string().optional(),
  /** Months. */
  durationMonths: z.number().optional(),
  /** Profile and portfolio URLs. */
  links: z.array(z.string()).optional(),
  /** Free text. */
  motivation: z.string().optional(),
});

/** One `applications` row, with the answers parsed. */
export const storedApplicationSchema = z.object({
  /** The reference the applicant was shown, e.g. ML-7F3K9Q. */
  reference: z.string(),
  /** Slug of the posting. */
  job_slug: z.string(),
  /** Locale the applicant used. */
  locale: z.string(),
  /** The answers, as JSON text. */
  answers: z.string().transform((text, context) => {
    try {
      return answersSchema.parse(JSON.parse(text));
    } catch {
      context.addIssue({ code: 'custom', message: 'answers are not the JSON the application store writes' });
      return z.NEVER;
    }
  }),
  /** Version of the privacy notice accepted. */
  privacy_notice_version: z.string(),
  /** When it was accepted (ISO 8601). */
  privacy_consented_at: z.string(),
  /** 1 with talent-pool consent. */
  talent_pool: z.number().transform((value) => value === 1),
  /** When the talent pool was agreed to. */
  talent_pool_consented_at: z.string().nullable(),
  /** The CV's R2 key, size and SHA-256. */
  cv_key: z.string(),
  cv_size: z.number(),
  cv_sha256: z.string(),
  /** Submission time (ISO 8601). */
  created_at: z.string(),
});

/** A stored application, ready to be delivered. */
export type StoredApplication = z.infer<typeof storedApplicationSchema>;

/** The columns `storedApplicationSchema` reads. */
export const STORED_APPLICATION_COLUMNS =
  'reference, job_slug, locale, answers, privacy_notice_version, privacy_consented_at, talent_pool, talent_pool_consented_at, cv_key, cv_size, cv_sha256, created_at';
