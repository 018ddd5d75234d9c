/**
 * Where an unsafe request may come from: the `Origin` and `Referer` checks of
 * CsrfViewMiddleware, and the parsed form of `CSRF_TRUSTED_ORIGINS` they use (built once per
 * Settings object, not per request).
 *
 * URLs are split the way Python's `urlsplit` does (scheme lower-cased, netloc kept as sent), so
 * the same headers are accepted and refused as by Django.
 *
 * @module
 */

/**
 * The parts of a URL as Python's `urlsplit` gives them.
 *
 * @example
 * const { scheme, netloc } = splitUrl('https://example.com/x') as SplitUrl; // 'https', 'example.com'
 */
export interface SplitUrl {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

/**
 * Python's `urlsplit`, or `null` where Python raises ValueError (unbalanced IPv6 brackets).
 *
 * @example
 * splitUrl('HTTPS://Example.com:8443/a?b#c'); // { scheme: 'https', netloc: 'Example.com:8443', path: '/a', query: 'b', fragment: 'c' }
 */
export function splitUrl(url: string): SplitUrl | null {
  // Like urlsplit: leading C0 controls and spaces go, TAB/CR/LF are removed anywhere (WHATWG).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: exactly the characters urlsplit strips.
  const clean = url.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\r\n]/g, '');
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(\/\/[^/?#]*)?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(clean);
  if (!m) return null;
  const netloc = m[2]?.slice(2) ?? '';
  if (netloc.includes('[') !== netloc.includes(']')) return null;
  return {
    scheme: m[1]?.toLowerCase() ?? '',
    netloc,
    path: m[3] ?? '',
    query: m[4] ?? '',
    fragment: m[5] ?? '',
  };
}

/**
 * Python's `SplitResult.geturl()`: the URL put back together (as Django quotes it in reasons).
 *
 * @example
 * joinUrl(splitUrl('HTTP://a.example/x?') as SplitUrl); // 'http://a.example/x'
 */
export function joinUrl({ scheme, netloc, path, query, fragment }: SplitUrl): string {
  let url = path;
  if (netloc || (scheme && url.startsWith('//'))) {
    url = `//${netloc}${url && !url.startsWith('/') ? '/' : ''}${url}`;
  }
  if (scheme) url = `${scheme}:${url}`;
  if (query) url += `?${query}`;
  if (fragment) url += `#${fragment}`;
  return url;
}

/**
 * Django's `is_same_domain`: `host` equals `pattern`, or `pattern` starts with `.` and `host` is
 * that domain or a subdomain of it. Only the pattern is lower-cased, as in Django.
 *
 * @example
 * isSameDomain('api.example.com', '.example.com'); // true
 * isSameDomain('example.com', '.example.com');     // true
 * isSameDomain('badexample.com', '.example.com');  // false
 */
export function isSameDomain(host: string, pattern: string | null | undefined): boolean {
  if (!pattern) return false;
  const p = pattern.toLowerCase();
  return (p.startsWith('.') && (host.endsWith(p) || host === p.slice(1))) || p === host;
}

/**
 * `CSRF_TRUSTED_ORIGINS`, parsed once.
 *
 * @example
 * const trusted = new TrustedOrigins(['https://app.example.com', 'https://*.example.org']);
 * trusted.allowsOrigin('https://pay.example.org', 'https://testserver'); // true
 * trusted.allowsRefererHost('app.example.com');                          // true
 */
export class TrustedOrigins {
  /** Origins without a wildcard, compared exactly. */
  readonly exact: ReadonlySet<string>;
  /** Scheme → domains (`.example.com`) whose subdomains are trusted (`https://*.example.com`). */
  readonly subdomains: ReadonlyMap<string, readonly string[]>;
  /** Every trusted netloc, wildcard stripped: what a Referer's host may be. */
  readonly hosts: readonly string[];

  constructor(origins: readonly string[]) {
    const subdomains = new Map<string, string[]>();
    const hosts: string[] = [];
    for (const origin of origins) {
      const parts = splitUrl(origin);
      if (!parts) continue;
      const host = parts.netloc.replace(/^\*+/, '');
      hosts.push(host);
      if (origin.includes('*')) {
        const list = subdomains.get(parts.scheme) ?? [];
        list.push(host);
        subdomains.set(parts.scheme, list);
      }
    }
    this.exact = new Set(origins.filter((origin) => !origin.includes('*')));
    this.subdomains = subdomains;
    this.hosts = hosts;
  }

  /**
   * Whether an `Origin` header value is trusted: `goodOrigin` (this site), an exact entry, or a
   * subdomain of a wildcard entry with the same scheme.
   *
   * @example
   * new TrustedOrigins(['https://*.example.com']).allowsOrigin('https://pay.example.com', null); // true
   */
  allowsOrigin(origin: string, goodOrigin: string | null): boolean {
    if (goodOrigin !== null && origin === goodOrigin) return true;
    if (this.exact.has(origin)) return true;
    const parts = splitUrl(origin);
    if (!parts) return false;
    return (this.subdomains.get(parts.scheme) ?? []).some((domain) => isSameDomain(parts.netloc, domain));
  }

  /** Whether a Referer's netloc is one of the trusted hosts (or a subdomain of a wildcard one). */
  allowsRefererHost(netloc: string): boolean {
    return this.hosts.some((host) => isSameDomain(netloc, host));
  }
}
