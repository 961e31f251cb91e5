/**
 * The recruiters' inbox settings (wrangler.toml [vars], `.dev.vars` locally):
 * - ACCESS_TEAM_DOMAIN and ACCESS_AUD: the Cloudflare Access team (its issuer and key set) and
 *   the Access application's AUD tag. Both or neither; without them no token is valid.
 * - RECRUITER_LOCAL_SIGN_IN: an identity for the explicit local sign-in, for `npm start` on
 *   one's own machine (`.dev.vars`); it works only for requests to a loopback hostname
 *   (./access.ts), so it can never sign anyone in on a deployed Worker.
 * Invalid settings are reported once (functions/settings.ts) and the inbox fails closed: no
 * token and no local sign-in is accepted until they are fixed.
 */
import { z } from 'zod';
import { isPlainAddress } from '#functions/delivery/mime.ts';
import { settingProblems, type SettingProblem } from '#functions/settings.ts';

/** Where Cloudflare Access teams live: `https://<team>.cloudflareaccess.com`. */
export const ACCESS_TEAM_SUFFIX = '.cloudflareaccess.com';

/** What verifying an Access token needs. */
export interface AccessSettings {
  /** The team's origin, the tokens' issuer, e.g. https://acme.cloudflareaccess.com. */
  issuer: string;
  /** The Access application's AUD tag, the tokens' audience. */
  audience: string;
}

/** The inbox settings, once parsed. */
export interface RecruiterSettings {
  /** Cloudflare Access, when configured and valid. */
  access?: AccessSettings | undefined;
  /** The identity of the local sign-in, when configured and valid (works on loopback only). */
  localSignIn?: string | undefined;
}

const text = z.preprocess((value) => (typeof value === 'string' ? value.trim() : (value ?? '')), z.string());

const variableSchemas = {
  /** `acme`, `acme.cloudflareaccess.com` or `https://acme.cloudflareaccess.com`; empty: no Access. */
  ACCESS_TEAM_DOMAIN: text.transform((value, context) => {
    if (value === '') return '';
    const host = value.replace(/^https:\/\//, '').replace(/\/$/, '');
    const team = host.endsWith(ACCESS_TEAM_SUFFIX) ? host.slice(0, -ACCESS_TEAM_SUFFIX.length) : host;
    if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i.test(team)) {
      context.addIssue({
        code: 'custom',
        message: `must be your Cloudflare Access team domain, e.g. https://acme${ACCESS_TEAM_SUFFIX} (Zero Trust → Settings → Team name and domain); fix it in wrangler.toml [vars]`,
      });
      return z.NEVER;
    }
    return `https://${team.toLowerCase()}${ACCESS_TEAM_SUFFIX}`;
  }),
  /** The AUD tag of the Access application that protects the inbox (64 hex digits). */
  ACCESS_AUD: text.refine((value) => value === '' || /^[0-9a-f]{64}$/i.test(value), {
    error: 'must be the Application Audience (AUD) tag of the Access application protecting the inbox, 64 hex digits (Zero Trust → Access → Applications → the application → Overview); fix it in wrangler.toml [vars]',
  }),
  /** The local sign-in's identity; set only in `.dev.vars` on one's own machine. */
  RECRUITER_LOCAL_SIGN_IN: text.refine((value) => value === '' || isPlainAddress(value), {
    error: 'must be an e-mail address to sign in as locally, e.g. recruiter@example.com (it works only on localhost); fix it in .dev.vars, or leave it out',
  }),
};
type Variable = keyof typeof variableSchemas;

/** Parses the inbox settings; problems name each misconfigured variable and how to fix it. */
export function parseRecruiterSettings(variables: Partial<Record<Variable, unknown>>): { value: RecruiterSettings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const read = (variable: Variable): string => {
    const parsed = variableSchemas[variable].safeParse(variables[variable]);
    if (parsed.success) return parsed.data;
    problems.push(...settingProblems(parsed.error).map((problem) => ({ ...problem, variable })));
    return '';
  };
  const issuer = read('ACCESS_TEAM_DOMAIN');
  const audience = read('ACCESS_AUD').toLowerCase();
  const localSignIn = read('RECRUITER_LOCAL_SIGN_IN');

  const set = (variable: Variable) => String(variables[variable] ?? '').trim() !== '';
  if (set('ACCESS_TEAM_DOMAIN') !== set('ACCESS_AUD')) {
    const missing: Variable = set('ACCESS_TEAM_DOMAIN') ? 'ACCESS_AUD' : 'ACCESS_TEAM_DOMAIN';
    problems.push({ variable: missing, message: 'is empty while the other ACCESS_ variable is set; Cloudflare Access needs the team domain and the application AUD tag in wrangler.toml [vars]' });
  }
  const access = issuer && audience ? { issuer, audience } : undefined;
  return { value: { access, localSignIn: localSignIn || undefined }, problems };
}
