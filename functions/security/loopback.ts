/**
 * The local machine, defined once for everything that is allowed there only: plain-http
 * embedding origins, the local sign-in to the inbox, a plain-http webhook receiver.
 */

/** Whether a hostname (as URL gives it) names this machine: localhost and its subdomains, 127.0.0.0/8 or [::1]. */
export function isLoopbackHostname(hostname: string): boolean {
  return /^(?:localhost|.+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i.test(hostname);
}

/** Whether data sent to `url` stays private on the way: https, or plain http that never leaves this machine. */
export function isPrivateTransport(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname));
}
