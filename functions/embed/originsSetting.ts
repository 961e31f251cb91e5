/**
 * The `EMBED_ORIGINS` setting: which host origins may embed us, parsed at build time in
 * astro.config.mjs, where a bad value stops the build with a message saying how to write it.
 * The build hands the normalized list on to the Worker (./origins.ts splits it there).
 */
import { z } from 'zod';
import { isPrivateTransport } from '#functions/security/loopback.ts';

/** A host name (as URL gives it: lower case, punycode) or an IPv6 literal; no wildcards. */
const HOST_NAME = /^(?:(?:[a-z0-9-]+\.)*[a-z0-9-]+|\[[0-9a-f:.]+\])$/;

/** One allowed origin: an https origin, or an http one on the local machine; nothing after the port. */
const embedOriginSchema = z.string().transform((value, context) => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  // Nothing but scheme, host and port: no path, query, fragment or credentials.
  const bare = url !== undefined && url.origin !== 'null' && `${url.origin}/` === url.href && HOST_NAME.test(url.hostname);
  // Plain http only for the local machine (`npm start`, tests).
  const secure = url !== undefined && isPrivateTransport(url);
  if (!url || !bare || !secure) {
    context.addIssue({
      code: 'custom',
      message: `"${value}" is not an allowed origin: write scheme and host (and port), nothing after them, e.g. https://www.example.com; http:// only for localhost`,
    });
    return z.NEVER;
  }
  return url.origin;
});

/** The allowed host origins, as written in EMBED_ORIGINS: separated by commas and/or spaces. */
export const embedOriginsSchema = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(embedOriginSchema))
  .transform((origins) => [...new Set(origins)]);

/**
 * Parses EMBED_ORIGINS into normalized origins (`https://www.example.com`); empty or unset is
 * none. Throws one message naming every bad entry and how to write it.
 */
export function parseEmbedOrigins(value: string | undefined): string[] {
  const result = embedOriginsSchema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(`EMBED_ORIGINS: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
}
