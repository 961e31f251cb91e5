/**
 * Application references such as `ML-7F3K9Q`: short enough to read out on the phone, typed
 * back without confusion. The random part uses an alphabet without 0/O, 1/I/L and U, so no
 * two characters look alike; 30^6 ≈ 729 million values, and the store retries on the rare
 * collision (the column is UNIQUE).
 */

/** The characters of a reference's random part. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Length of the random part. */
export const REFERENCE_RANDOM_LENGTH = 6;
/** Prefix when a posting's slug yields no letters. */
export const DEFAULT_REFERENCE_PREFIX = 'AP';

/** A reference as stored and shown: 2–3 letters, a dash, six unambiguous characters. */
export const REFERENCE_PATTERN = new RegExp(`^[A-Z]{2,3}-[${REFERENCE_ALPHABET}]{${REFERENCE_RANDOM_LENGTH}}$`);

/**
 * The prefix of a posting's references: the initials of the slug's first two words
 * ("machine-learning-intern" → "ML"), so recruiters see at a glance which posting it is.
 */
export function referencePrefix(jobSlug: string): string {
  const initials = jobSlug
    .split(/[^a-z]+/i)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
  return initials.length === 2 ? initials : DEFAULT_REFERENCE_PREFIX;
}

/**
 * A new random reference for a posting. `randomBytes` fills an array with random bytes
 * (crypto.getRandomValues by default); bytes that would bias the choice are skipped.
 */
export function generateReference(
  jobSlug: string,
  randomBytes: (array: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer> = (array) => crypto.getRandomValues(array),
): string {
  // The largest multiple of the alphabet's size below 256: bytes at or above it are skipped.
  const limit = 256 - (256 % REFERENCE_ALPHABET.length);
  let random = '';
  while (random.length < REFERENCE_RANDOM_LENGTH) {
    for (const byte of randomBytes(new Uint8Array(16))) {
      if (byte >= limit) continue;
      random += REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length];
      if (random.length === REFERENCE_RANDOM_LENGTH) break;
    }
  }
  return `${referencePrefix(jobSlug)}-${random}`;
}
