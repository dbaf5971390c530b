/**
 * Push endpoints come from readers' browsers, and the worker sends requests to
 * them: without a check, anyone could make our server call an address inside
 * our network (server-side request forgery). An endpoint must be an https URL
 * whose host resolves only to public unicast addresses; the same check runs
 * again on every connection (`safeLookup`), so a name that later resolves to a
 * private address (DNS rebinding) is refused at send time too.
 */
import dns from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { LookupFunction } from 'node:net';

/** Special-use ranges (IANA IPv4/IPv6 special-purpose registries) that a push service never lives in. */
const SPECIAL_USE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  SPECIAL_USE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 (would reach IPv4 addresses we cannot check here)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID ...)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  SPECIAL_USE.addSubnet(network, prefix, 'ipv6');
}

/** Whether an address is one a public push service could have (IPv4-mapped IPv6 is checked as the IPv4 it maps). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !SPECIAL_USE.check(address, 'ipv4');
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return !SPECIAL_USE.check(mapped[1]!, 'ipv4');
  if (/^::ffff:/i.test(address)) return false; // hex-written mapped forms: refuse rather than parse
  return !SPECIAL_USE.check(address, 'ipv6');
}

export class EndpointRefused extends Error {}

export interface EndpointPolicy {
  /** Tests and development only: loopback and private addresses are accepted. */
  allowLocal: boolean;
  resolve?: (host: string) => Promise<string[]>;
}

const MAX_ENDPOINT_LENGTH = 1024;

async function resolveAll(host: string): Promise<string[]> {
  const answers = await dns.promises.lookup(host, { all: true, verbatim: true });
  return answers.map((a) => a.address);
}

/**
 * Checks an endpoint a browser gave us. Throws EndpointRefused with a message
 * written for the reader's developer tools (it ends up in a 400).
 */
export async function checkEndpoint(raw: string, policy: EndpointPolicy): Promise<URL> {
  if (raw.length > MAX_ENDPOINT_LENGTH) throw new EndpointRefused(`The endpoint is longer than ${MAX_ENDPOINT_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointRefused('The endpoint is not a URL');
  }
  if (url.protocol !== 'https:') throw new EndpointRefused('The endpoint must be an https:// URL');
  if (url.username || url.password) throw new EndpointRefused('The endpoint must not carry a user name or password');
  if (url.hash) throw new EndpointRefused('The endpoint must not have a fragment');
  if (policy.allowLocal) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (policy.resolve ?? resolveAll)(host);
    } catch {
      throw new EndpointRefused('The endpoint’s host name does not resolve');
    }
  }
  if (addresses.length === 0) throw new EndpointRefused('The endpoint’s host name does not resolve');
  if (!addresses.every(isPublicAddress)) throw new EndpointRefused('The endpoint must be on a public address (not loopback, private, link-local or otherwise special-use)');
  return url;
}

/** A `lookup` for the push agent: resolves as usual, then refuses any answer on a special-use address. */
export const safeLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    const list = addresses as unknown as dns.LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad || list.length === 0) {
      const refused = Object.assign(new Error(`push endpoint ${hostname} resolves to a non-public address`), { code: 'EPUSHADDRESS' });
      return callback(refused, '', 4);
    }
    if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
};
