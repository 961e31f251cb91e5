import { describe, expect, it } from 'vitest';
import { clientRateLimitKey, UNKNOWN_CLIENT_KEY } from '#functions/applications/rateLimits.ts';

describe('the rate limits’ client key', () => {
  it('is the address itself for IPv4', () => {
    expect(clientRateLimitKey('203.0.113.7')).toBe('ip4:203.0.113.7');
  });

  it('is the /64 network for IPv6, however the address is written', () => {
    const network = 'ip6:2001:db8:4a7:12::/64';
    for (const address of ['2001:db8:4a7:12::1', '2001:0db8:04a7:0012:0000:0000:0000:0001', '2001:DB8:4A7:12:ffff:1:2:3', '2001:db8:4a7:12::']) {
      expect(clientRateLimitKey(address), address).toBe(network);
    }
    expect(clientRateLimitKey('2001:db8:4a7:13::1')).toBe('ip6:2001:db8:4a7:13::/64');
    expect(clientRateLimitKey('::1')).toBe('ip6:0:0:0:0::/64');
    expect(clientRateLimitKey('2001:db8::1:2:3:4')).toBe('ip6:2001:db8:0:0::/64');
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(clientRateLimitKey('::ffff:203.0.113.7')).toBe('ip4:203.0.113.7');
    expect(clientRateLimitKey('::ffff:cb00:7107')).toBe('ip4:203.0.113.7');
  });

  it('puts clients without a readable address together', () => {
    for (const address of [null, '', 'localhost', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '2001:db8::g', '::ffff:300.1.1.1']) {
      expect(clientRateLimitKey(address), String(address)).toBe(UNKNOWN_CLIENT_KEY);
    }
  });
});
