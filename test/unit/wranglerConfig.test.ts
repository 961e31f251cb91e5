import { describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { join } from 'node:path';
import { ROOT } from '#test/support/site.ts';

// What wrangler.toml tells Cloudflare to record: read as wrangler reads it for `wrangler deploy`.
const config = unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });

describe('the Worker’s logs on Cloudflare', () => {
  it('keep the Worker’s own log lines, without invocation logs or traces, which record request URLs and so private link tokens (review of issue 11, finding 6)', () => {
    expect(config.observability).toMatchObject({ enabled: true, logs: { enabled: true, invocation_logs: false }, traces: { enabled: false } });
  });
});
