import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';

/**
 * Whether a channel's own URLs (an API channel's callbackUrl, a Meta channel's apiBaseUrl), which
 * any workspace admin sets, may reach private addresses: loopback, the local network, link-local
 * (the cloud's metadata service). Refused by default, so that no tenant can make the server call
 * inside its own network; `allow` is for a deployment whose adapters run there on purpose.
 */
export type ChannelPrivateAddresses = 'refuse' | 'allow';

export const CHANNEL_PRIVATE_ADDRESSES_SETTINGS: readonly ChannelPrivateAddresses[] = ['refuse', 'allow'];

/** How the service calls what a channel's settings point at. */
export const CHANNEL_FETCH = Symbol('CHANNEL_FETCH');

export class PrivateAddressRefusedError extends Error {
  constructor(host: string, address: string) {
    super(
      `${host} is at ${address}, a private address channels may not call ` +
        '(CHANNEL_PRIVATE_ADDRESSES=allow lets them, where the adapters run inside the network on purpose)',
    );
    this.name = 'PrivateAddressRefusedError';
  }
}

/** Public unicast only; an IPv4 address mapped into IPv6 counts as the IPv4 address. */
export const isPublicAddress = (address: string): boolean => ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast';

/** Resolves as Node would, and fails unless every address is public: none is connected to otherwise. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find(({ address }) => !isPublicAddress(address));
    if (refused) return callback(new PrivateAddressRefusedError(hostname, refused.address), '', 0);
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
};

/**
 * A fetch whose every connection (redirects included) goes only to public addresses: a host
 * given as an address is checked as it is, a name once resolved, so no later answer of the DNS
 * can point the connection elsewhere.
 */
function publicOnlyFetch(): typeof fetch {
  const connect = buildConnector({ lookup: publicOnlyLookup });
  const agent = new Agent({
    connect: (options, callback) => {
      const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
      if (ipaddr.isValid(host) && !isPublicAddress(host)) return callback(new PrivateAddressRefusedError(host, host), null);
      return connect(options, callback);
    },
  });
  // undici's own fetch with its own Agent: Node's built-in fetch bundles another version of undici.
  return ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher: agent })) as unknown as typeof fetch;
}

export const channelFetch = (privateAddresses: ChannelPrivateAddresses): typeof fetch =>
  privateAddresses === 'allow' ? fetch : publicOnlyFetch();
