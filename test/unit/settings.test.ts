import { describe, expect, it } from 'vitest';
import { parseApplicationSettings } from '#functions/applications/settings.ts';
import { parseApplicantEmailSettings } from '#functions/applicants/confirmation.ts';
import { parseDeliverySettings, WEBHOOK_SECRET_MIN_BYTES } from '#functions/delivery/settings.ts';
import { parseRecruiterSettings } from '#functions/recruiters/settings.ts';
import type { LogEntry } from '#functions/log.ts';
import { settingsOnce } from '#functions/settings.ts';

const SITE_KEY = '0x4AAAAAAAexample';
const SECRET = '0x4AAAAAAAexample-secret';
/** A Standard Webhooks secret of exactly the minimum: `whsec_` and 32 bytes in base64. */
const WEBHOOK_SECRET = `whsec_${Buffer.alloc(WEBHOOK_SECRET_MIN_BYTES, 7).toString('base64')}`;
const build = (turnstileSiteKey = '') => ({ turnstileSiteKey, siteUrl: 'https://jobs.example.com' });

describe('the applications settings', () => {
  it('are valid without Turnstile, with the rate limit period of wrangler.toml', () => {
    expect(parseApplicationSettings({ APPLICATION_RATE_LIMIT_PERIOD: '10' }, build())).toEqual({ ok: true, value: { rateLimitPeriodSeconds: 10, turnstile: undefined } });
  });

  it('turn Turnstile on with both keys, expecting the public site’s hostname and the form’s action', () => {
    expect(parseApplicationSettings({ APPLICATION_RATE_LIMIT_PERIOD: '60', TURNSTILE_SECRET_KEY: SECRET }, build(SITE_KEY))).toEqual({
      ok: true,
      value: { rateLimitPeriodSeconds: 60, turnstile: { secretKey: SECRET, hostnames: ['jobs.example.com'], action: 'apply' } },
    });
  });

  it('fail closed when the site was built with a Turnstile site key but the secret is missing, saying how to fix it', () => {
    const parsed = parseApplicationSettings({ APPLICATION_RATE_LIMIT_PERIOD: '60', TURNSTILE_SECRET_KEY: ' ' }, build(SITE_KEY));
    expect(parsed).toEqual({ ok: false, problems: [{ variable: 'TURNSTILE_SECRET_KEY', message: expect.stringContaining('wrangler secret put TURNSTILE_SECRET_KEY') }] });
  });

  it('fail closed when the Worker has a Turnstile secret but the site was built without the widget', () => {
    const parsed = parseApplicationSettings({ TURNSTILE_SECRET_KEY: SECRET }, build());
    expect(parsed).toEqual({ ok: false, problems: [{ variable: 'TURNSTILE_SITE_KEY', message: expect.stringContaining('build with TURNSTILE_SITE_KEY') }] });
  });

  it('fail closed on a rate limit period that is not a whole number of seconds', () => {
    const parsed = parseApplicationSettings({ APPLICATION_RATE_LIMIT_PERIOD: 'a minute' }, build());
    expect(parsed).toEqual({ ok: false, problems: [{ variable: 'APPLICATION_RATE_LIMIT_PERIOD', message: expect.stringContaining('[[ratelimits]]') }] });
  });
});

describe('the delivery settings', () => {
  it('ask for no channel when every variable is empty, without a problem', () => {
    expect(parseDeliverySettings({ RECRUITER_EMAIL_FROM: '', RECRUITER_EMAIL_TO: '', DELIVERY_WEBHOOK_URL: '' })).toEqual({
      value: { channels: [], email: undefined, webhook: undefined, attachApplication: false },
      problems: [],
    });
  });

  it('turn on the channels whose settings are complete and valid', () => {
    const parsed = parseDeliverySettings({
      RECRUITER_EMAIL_FROM: 'careers@example.com',
      RECRUITER_EMAIL_TO: 'recruiting@example.com',
      DELIVERY_WEBHOOK_URL: 'https://hr.example.com/hook',
      DELIVERY_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    expect(parsed).toEqual({
      value: {
        channels: ['email', 'webhook'],
        email: { from: 'careers@example.com', to: 'recruiting@example.com' },
        webhook: { url: 'https://hr.example.com/hook', secret: WEBHOOK_SECRET },
        attachApplication: false,
      },
      problems: [],
    });
  });

  it('accept a plain-http webhook only to this machine, to try a receiver locally', () => {
    for (const url of ['http://localhost:8787/hook', 'http://127.0.0.1:9000/hook', 'http://[::1]/hook']) {
      const parsed = parseDeliverySettings({ DELIVERY_WEBHOOK_URL: url, DELIVERY_WEBHOOK_SECRET: WEBHOOK_SECRET });
      expect(parsed.problems, url).toEqual([]);
      expect(parsed.value.webhook?.url, url).toBe(url);
    }
  });

  it.each([
    ['an http:// URL', { DELIVERY_WEBHOOK_URL: 'http://hr.example.com/hook', DELIVERY_WEBHOOK_SECRET: WEBHOOK_SECRET }, 'DELIVERY_WEBHOOK_URL', 'https://'],
    ['an http:// URL to 127.0.0.1.nip.io', { DELIVERY_WEBHOOK_URL: 'http://127.0.0.1.nip.io/hook', DELIVERY_WEBHOOK_SECRET: WEBHOOK_SECRET }, 'DELIVERY_WEBHOOK_URL', 'https://'],
    ['a URL that is none', { DELIVERY_WEBHOOK_URL: 'hr.example.com/hook', DELIVERY_WEBHOOK_SECRET: WEBHOOK_SECRET }, 'DELIVERY_WEBHOOK_URL', 'https://'],
    ['a secret shorter than 32 bytes', { DELIVERY_WEBHOOK_URL: 'https://hr.example.com/hook', DELIVERY_WEBHOOK_SECRET: `whsec_${Buffer.alloc(WEBHOOK_SECRET_MIN_BYTES - 1, 7).toString('base64')}` }, 'DELIVERY_WEBHOOK_SECRET', '32 random bytes'],
    ['a secret without the whsec_ prefix', { DELIVERY_WEBHOOK_URL: 'https://hr.example.com/hook', DELIVERY_WEBHOOK_SECRET: 'x'.repeat(64) }, 'DELIVERY_WEBHOOK_SECRET', 'whsec_'],
    ['a secret that is not base64', { DELIVERY_WEBHOOK_URL: 'https://hr.example.com/hook', DELIVERY_WEBHOOK_SECRET: `whsec_${'!'.repeat(60)}` }, 'DELIVERY_WEBHOOK_SECRET', 'base64'],
    ['no secret', { DELIVERY_WEBHOOK_URL: 'https://hr.example.com/hook' }, 'DELIVERY_WEBHOOK_SECRET', 'wrangler secret put DELIVERY_WEBHOOK_SECRET'],
  ])('refuse to deliver by webhook with %s, but keep its outbox rows coming and name the variable', (_case, variables, variable, fix) => {
    const parsed = parseDeliverySettings(variables);
    expect(parsed.value).toEqual({ channels: ['webhook'], email: undefined, webhook: undefined, attachApplication: false });
    expect(parsed.problems).toEqual([{ variable, message: expect.stringContaining(fix) }]);
  });

  it('keep e-mail working when only the webhook is misconfigured', () => {
    const parsed = parseDeliverySettings({ RECRUITER_EMAIL_FROM: 'careers@example.com', RECRUITER_EMAIL_TO: 'recruiting@example.com', DELIVERY_WEBHOOK_URL: 'http://hr.example.com/hook' });
    expect(parsed.value.email).toEqual({ from: 'careers@example.com', to: 'recruiting@example.com' });
    expect(parsed.value.channels).toEqual(['email', 'webhook']);
    expect(parsed.problems.map((problem) => problem.variable)).toEqual(['DELIVERY_WEBHOOK_URL', 'DELIVERY_WEBHOOK_SECRET']);
  });

  it('refuse e-mail with a display name or without a recipient', () => {
    expect(parseDeliverySettings({ RECRUITER_EMAIL_FROM: 'Careers <careers@example.com>', RECRUITER_EMAIL_TO: 'recruiting@example.com' }).problems).toEqual([
      { variable: 'RECRUITER_EMAIL_FROM', message: expect.stringContaining('bare e-mail address') },
    ]);
    const parsed = parseDeliverySettings({ RECRUITER_EMAIL_FROM: 'careers@example.com' });
    expect(parsed.value).toEqual({ channels: ['email'], email: undefined, webhook: undefined, attachApplication: false });
    expect(parsed.problems).toEqual([{ variable: 'RECRUITER_EMAIL_TO', message: expect.stringContaining('needs a sender and a recipient') }]);
  });

  it('attach the answers and the CV to the e-mail only when asked to with "true", and refuse other words', () => {
    expect(parseDeliverySettings({ RECRUITER_EMAIL_ATTACH_APPLICATION: 'true' }).value.attachApplication).toBe(true);
    expect(parseDeliverySettings({ RECRUITER_EMAIL_ATTACH_APPLICATION: 'false' }).value.attachApplication).toBe(false);
    const parsed = parseDeliverySettings({ RECRUITER_EMAIL_ATTACH_APPLICATION: 'yes please' });
    expect(parsed.value.attachApplication).toBe(false);
    expect(parsed.problems).toEqual([{ variable: 'RECRUITER_EMAIL_ATTACH_APPLICATION', message: expect.stringContaining('retention cannot delete') }]);
  });

  it('never repeat a value in a problem, so no secret reaches the log', () => {
    const parsed = parseDeliverySettings({ DELIVERY_WEBHOOK_URL: 'http://user:pass@hr.example.com/', DELIVERY_WEBHOOK_SECRET: 'short-secret' });
    expect(JSON.stringify(parsed.problems)).not.toMatch(/short-secret|user:pass/);
  });
});

describe('the recruiters’ inbox settings', () => {
  const AUD = 'ab'.repeat(32);

  it('verify Access tokens of the team and application given, in any of the ways the dashboard shows the team', () => {
    for (const team of ['acme', 'acme.cloudflareaccess.com', 'https://acme.cloudflareaccess.com/', 'ACME']) {
      expect(parseRecruiterSettings({ ACCESS_TEAM_DOMAIN: team, ACCESS_AUD: AUD.toUpperCase() })).toEqual({
        value: { access: { issuer: 'https://acme.cloudflareaccess.com', audience: AUD }, localSignIn: undefined },
        problems: [],
      });
    }
  });

  it('fail closed (no token valid) with only one of the two, or an AUD tag that is none, naming the variable', () => {
    expect(parseRecruiterSettings({ ACCESS_TEAM_DOMAIN: 'acme' })).toEqual({
      value: { access: undefined, localSignIn: undefined },
      problems: [{ variable: 'ACCESS_AUD', message: expect.stringContaining('team domain and the application AUD tag') }],
    });
    expect(parseRecruiterSettings({ ACCESS_TEAM_DOMAIN: 'acme', ACCESS_AUD: 'my-app' }).problems).toEqual([{ variable: 'ACCESS_AUD', message: expect.stringContaining('64 hex digits') }]);
    expect(parseRecruiterSettings({ ACCESS_TEAM_DOMAIN: 'https://evil.example/x y', ACCESS_AUD: AUD }).problems).toEqual([
      { variable: 'ACCESS_TEAM_DOMAIN', message: expect.stringContaining('cloudflareaccess.com') },
    ]);
  });

  it('switch the local sign-in on only with a bare e-mail address', () => {
    expect(parseRecruiterSettings({ RECRUITER_LOCAL_SIGN_IN: 'dev@example.com' }).value.localSignIn).toBe('dev@example.com');
    const parsed = parseRecruiterSettings({ RECRUITER_LOCAL_SIGN_IN: 'yes' });
    expect(parsed.value.localSignIn).toBeUndefined();
    expect(parsed.problems).toEqual([{ variable: 'RECRUITER_LOCAL_SIGN_IN', message: expect.stringContaining('only on localhost') }]);
  });
});

describe('the applicant’s confirmation e-mail settings', () => {
  it('send nothing by default, and from a bare sender address when one is set', () => {
    expect(parseApplicantEmailSettings({})).toEqual({ value: { from: undefined }, problems: [] });
    expect(parseApplicantEmailSettings({ APPLICANT_EMAIL_FROM: ' careers@example.com ' })).toEqual({ value: { from: 'careers@example.com' }, problems: [] });
    expect(parseApplicantEmailSettings({ APPLICANT_EMAIL_FROM: 'Careers <careers@example.com>' }).problems).toEqual([
      { variable: 'APPLICANT_EMAIL_FROM', message: expect.stringContaining('bare sender address') },
    ]);
  });
});

describe('settings parsed once per isolate', () => {
  it('are parsed on first use and kept, and an invalid one is logged once as config.invalid', () => {
    const logs: LogEntry[] = [];
    let parses = 0;
    const settings = settingsOnce(() => {
      parses += 1;
      return { value: { webhook: undefined }, problems: [{ variable: 'DELIVERY_WEBHOOK_URL', message: 'must be an https:// URL', capability: 'delivery' }] };
    }, (entry) => logs.push(entry));

    expect(parses).toBe(0);
    for (let request = 0; request < 5; request += 1) expect(settings()).toEqual({ webhook: undefined });
    expect(parses).toBe(1);
    expect(logs).toEqual([{ level: 'error', event: 'config.invalid', problems: [{ variable: 'DELIVERY_WEBHOOK_URL', message: 'must be an https:// URL', capability: 'delivery' }] }]);
  });

  it('log nothing when every setting is valid', () => {
    const logs: LogEntry[] = [];
    const settings = settingsOnce(() => ({ value: 1, problems: [] }), (entry) => logs.push(entry));
    expect(settings()).toBe(1);
    expect(logs).toEqual([]);
  });
});
