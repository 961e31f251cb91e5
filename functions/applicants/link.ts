/**
 * The applicant's private link: a random token of 256 bits (base64url, 43 characters) in the
 * path of the applicant's own page. Only its SHA-256 is stored (functions/storage/applicantLinks.ts),
 * so a copy of the database opens nothing; the token is shown once, in the confirmation (page,
 * JSON answer, e-mail), and cannot be recovered.
 */
import { sha256Hex, toBase64Url } from '#functions/encoding.ts';

/** Random bytes in a token: 256 bits, far beyond guessing. */
export const APPLICANT_TOKEN_BYTES = 32;
/** What a token looks like: anything else is refused before the database is asked. */
export const APPLICANT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new token. */
export function newApplicantToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(APPLICANT_TOKEN_BYTES)));
}

/** Whether a value has the shape of a token. */
export function isApplicantToken(value: string | undefined): value is string {
  return value !== undefined && APPLICANT_TOKEN_PATTERN.test(value);
}

/** The stored form of a token: its SHA-256 in hex. */
export function applicantTokenSha256(token: string): Promise<string> {
  return sha256Hex(token);
}
