import { domainToASCII } from 'node:url';

/**
 * An address an email can be written to and sent to (RFC 5321/5322): a dot-atom local part of at most 64 characters
 * (no quoted local parts, no SMTPUTF8), a domain of DNS labels (at most 63 characters each) in ASCII (an internationalised one as punycode,
 * lower-cased), at most 254 characters in all. The boundaries accept only such addresses and the MIME writer writes
 * only such addresses, so an address the API took never fails at the first invoice. Undefined when it is not one.
 */
export function sendableEmailAddress(address: string): { local: string; domain: string } | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  const local = address.slice(0, at);
  if (local.length > 64 || !/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/.test(local) || local.includes('=?')) return undefined;
  const rawDomain = address.slice(at + 1);
  // domainToASCII is lenient about some characters; the pattern below is not.
  // eslint-disable-next-line no-control-regex
  const domain = /[\u0000-\u0020<>,;:"()[\]\\@%]/.test(rawDomain) ? '' : domainToASCII(rawDomain);
  if (!/^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)+$/.test(domain) || local.length + 1 + domain.length > 254 || domain.split('.').some((label) => label.length > 63)) return undefined;
  return { local, domain };
}
