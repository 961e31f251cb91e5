/**
 * The applications capability's settings: the rate limit's period (wrangler.toml [vars]) and
 * Turnstile, whose site key is fixed at build time (the widget is in the HTML) and whose secret
 * is a Worker secret. Either both are set or neither: a widget without a secret would let
 * every submission pass unchecked, a secret without a widget would refuse every submission.
 * Invalid settings make the capability fail closed (see functions/settings.ts).
 */
import { z } from 'zod';
import { settingProblems, type ParsedSettings, type SettingProblem } from '#functions/settings.ts';

/** The Turnstile action the form's widget declares; siteverify must report the same. */
export const TURNSTILE_ACTION = 'apply';

/** How submissions are checked, once parsed. */
export interface ApplicationSettings {
  /** The rate limit's period in seconds, sent as Retry-After to limited clients. */
  rateLimitPeriodSeconds: number;
  /** Turnstile, when the site shows its widget. */
  turnstile?: TurnstileSettings | undefined;
}

/** What the server needs to check a Turnstile token. */
export interface TurnstileSettings {
  secretKey: string;
  /** Hostnames the widget may have been solved on, besides the request's own (the public site's). */
  hostnames: readonly string[];
  /** The action the widget declares. */
  action: string;
}

/** The rate limit's period when the variable is not set, as in wrangler.toml. */
export const DEFAULT_RATE_LIMIT_PERIOD_SECONDS = 60;

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

// Vars from wrangler.toml and the secret (`wrangler secret put` / `.dev.vars`).
const variablesSchema = z.object({
  /** Must equal the period of [[ratelimits]] APPLICATION_RATE_LIMITER (10 or 60). */
  APPLICATION_RATE_LIMIT_PERIOD: z.preprocess(
    (value) => blankToUndefined(value) ?? DEFAULT_RATE_LIMIT_PERIOD_SECONDS,
    z.coerce
      .number({ error: 'must be the rate limit period in seconds (10 or 60), as in [[ratelimits]] of wrangler.toml' })
      .int({ error: 'must be the rate limit period in seconds (10 or 60), as in [[ratelimits]] of wrangler.toml' })
      .positive({ error: 'must be the rate limit period in seconds (10 or 60), as in [[ratelimits]] of wrangler.toml' }),
  ),
  /** Turnstile's secret; the site key is a build setting. */
  TURNSTILE_SECRET_KEY: z.preprocess(blankToUndefined, z.string().trim().optional()),
});

/** What the build fixed: the Turnstile site key in the pages, and the public site's origin. */
export interface ApplicationBuildSettings {
  /** TURNSTILE_SITE_KEY of the build; empty when the form shows no widget. */
  turnstileSiteKey: string;
  /** The public origin (SITE_URL), e.g. https://jobs.example.com. */
  siteUrl: string | undefined;
}

/** Parses the applications settings from the Worker's variables and the build's settings. */
export function parseApplicationSettings(variables: Partial<Record<keyof typeof variablesSchema.shape, unknown>>, build: ApplicationBuildSettings): ParsedSettings<ApplicationSettings> {
  const parsed = variablesSchema.safeParse(variables);
  if (!parsed.success) return { ok: false, problems: settingProblems(parsed.error) };
  const { APPLICATION_RATE_LIMIT_PERIOD: rateLimitPeriodSeconds, TURNSTILE_SECRET_KEY: secretKey } = parsed.data;
  const siteKey = build.turnstileSiteKey.trim();

  const problems: SettingProblem[] = [];
  if (siteKey && !secretKey) {
    problems.push({
      variable: 'TURNSTILE_SECRET_KEY',
      message:
        'missing although the site was built with TURNSTILE_SITE_KEY, so tokens could not be checked; set it (`wrangler secret put TURNSTILE_SECRET_KEY`, locally in .dev.vars) or build without TURNSTILE_SITE_KEY',
    });
  }
  if (secretKey && !siteKey) {
    problems.push({
      variable: 'TURNSTILE_SITE_KEY',
      message:
        'missing from the build although the Worker has TURNSTILE_SECRET_KEY, so the form shows no widget and every submission would fail the check; build with TURNSTILE_SITE_KEY or delete the secret',
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const publicHostname = build.siteUrl ? URL.parse(build.siteUrl)?.hostname : undefined;
  return {
    ok: true,
    value: {
      rateLimitPeriodSeconds,
      turnstile: secretKey ? { secretKey, hostnames: publicHostname ? [publicHostname] : [], action: TURNSTILE_ACTION } : undefined,
    },
  };
}
