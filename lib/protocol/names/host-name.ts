/**
 * The syntax of a host name as configuration names one (a DNS server, an SMTP server, a TSIG key,
 * a zone, a watched host): dot-separated labels of letters, digits, "-" and "_" (as in
 * _acme-challenge), 1 to 63 characters each, not starting or ending with "-", at most 253 in
 * all, a final dot allowed. Only the spelling: whether a name may be used (a certificate's names,
 * the outbound policy) is decided elsewhere.
 */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i;
/** RFC 1123's labels: no "_". */
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

function hasLabels(value: string, label: RegExp): boolean {
  const name = value.replace(/\.$/, "");
  return name.length > 0 && name.length <= 253 && name.split(".").every((part) => label.test(part));
}

/** "ns1.example.com", "_acme-challenge.example.com", "certdeck." */
export function isHostName(value: string): boolean {
  return hasLabels(value, LABEL);
}

/** A name as TLS's SNI carries it (RFC 6066: a host name of RFC 1123, so no "_"). */
export function isServerName(value: string): boolean {
  return hasLabels(value, HOST_LABEL);
}
