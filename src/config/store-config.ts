/** store.redis_url as it may be shown (messages, logs, the banner): the password hidden. */
export function displayRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(an unparsable URL)';
  }
}

/** What is wrong with store.redis_url, or undefined when it is a redis:// or rediss:// URL with a host. */
export function redisUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return `has the scheme "${parsed.protocol}"; use redis:// (or rediss:// for TLS)`;
  if (parsed.hostname === '') return 'names no host';
  if (parsed.pathname !== '' && parsed.pathname !== '/' && !/^\/\d{1,2}$/.test(parsed.pathname)) return 'has a path other than a database number (/0../15)';
  return undefined;
}

/** The password in store.redis_url, if any, for the Sanitizer to redact wherever it might appear. */
export function redisUrlSecret(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}
