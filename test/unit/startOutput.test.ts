import { describe, expect, it } from 'vitest';
import { createDevOutputFilter, summarizeMigrations } from '#src/cli/startOutput.ts';

// Output as wrangler 4.164 printed it for `npm start` (colour codes included), shortened.
const MIGRATIONS_APPLIED = `
 ⛅️ wrangler 4.164.0
────────────────────
Resource location: local

Migrations to be applied:
┌───────────────────────────────┐
│ name                          │
├───────────────────────────────┤
│ 0001_create_applications.sql  │
├───────────────────────────────┤
│ 0002_add_process_ended_at.sql │
└───────────────────────────────┘
? About to apply 2 migration(s)
🤖 Using fallback value in non-interactive context: yes
┌───────────────────────────────┬────────┐
│ name                          │ status │
├───────────────────────────────┼────────┤
│ 0001_create_applications.sql  │ ✅     │
├───────────────────────────────┼────────┤
│ 0002_add_process_ended_at.sql │ 🕒️    │
└───────────────────────────────┴────────┘
┌───────────────────────────────┬────────┐
│ name                          │ status │
├───────────────────────────────┼────────┤
│ 0001_create_applications.sql  │ ✅     │
├───────────────────────────────┼────────┤
│ 0002_add_process_ended_at.sql │ ✅     │
└───────────────────────────────┴────────┘
`;

const BINDINGS = [
  'Your Worker has access to the following bindings:',
  'Binding                                                       Resource                  Mode',
  'env.DB (careers-applications)                                 D1 Database               local',
  'env.CV_BUCKET (careers-cvs)                                   R2 Bucket                 local',
  '',
];

const DEV_SERVER = [
  ...BINDINGS,
  'Attaching additional modules:',
  '┌──────────────────────────┬──────┬───────────┐',
  '│ chunks/Base_J5WBiwZV.mjs │ esm  │ 4.77 KiB  │',
  '└──────────────────────────┴──────┴───────────┘',
  '⎔ Starting local server...',
  '[wrangler:info] ✨ Parsed 2 valid header rules.',
  '\u001b[33m▲ \u001b[43;33m[\u001b[43;30mWARNING\u001b[43;33m]\u001b[0m \u001b[1mScheduled Workers are not automatically triggered during local development.\u001b[0m',
  '',
  '  To manually trigger a scheduled event, run:',
  '    curl "http://localhost:4321/cdn-cgi/local/scheduled"',
  '  For more details, see \u001b[4mhttps://developers.cloudflare.com/workers/configuration/cron-triggers/#test-cron-triggers-locally\u001b[0m',
  '',
  '',
  '⎔ Connection status updated',
  ...BINDINGS,
  '[wrangler:info] Ready on http://localhost:4321',
  '⎔ Connection status updated',
  ...BINDINGS,
  '[wrangler:info] GET /en/ 200 OK (173ms)',
  '{"event":"retention.completed","deletedApplications":0}',
  '\u001b[31m✘ \u001b[41;31m[\u001b[41;97mERROR\u001b[41;31m]\u001b[0m something broke',
];

describe('npm start’s output', () => {
  it('sums up the migrations in one line instead of three tables', () => {
    expect(summarizeMigrations(MIGRATIONS_APPLIED)).toBe('Database: 2 migrations applied');
    expect(summarizeMigrations('\n ⛅️ wrangler 4.164.0\nResource location: local\n\n✅ No migrations to apply!\n')).toBe('Database: up to date');
  });

  it('shows the dev server’s requests, the Worker’s log lines and errors once, without the tables it repeats', () => {
    const filter = createDevOutputFilter();
    const results = DEV_SERVER.map(filter);
    expect(results.filter((result) => 'ready' in result)).toEqual([{ ready: 'http://localhost:4321' }]);
    expect(results.flatMap((result) => ('show' in result ? [result.show] : []))).toEqual([
      '[wrangler:info] GET /en/ 200 OK (173ms)',
      '{"event":"retention.completed","deletedApplications":0}',
      '\u001b[31m✘ \u001b[41;31m[\u001b[41;97mERROR\u001b[41;31m]\u001b[0m something broke',
    ]);
  });
});
