// Where to go after sign-in: a path on this console only. Anything that a
// browser could read as another origin (`//host`, `/\host`, their
// percent-encoded forms, control characters, absolute URLs) falls back.
const FALLBACK = '/keys';
const ORIGIN = 'https://console.invalid';
// Control characters are what this guards against: the rule that forbids them in patterns does not apply.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

function decodedFully(value: string): string | null {
  let current = value;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

export function safeNextPath(value: string | null | undefined): string {
  if (!value || UNSAFE.test(value)) return FALLBACK;
  const decoded = decodedFully(value);
  if (decoded === null || UNSAFE.test(decoded)) return FALLBACK;
  for (const form of [value, decoded]) {
    if (!form.startsWith('/') || form.startsWith('//')) return FALLBACK;
  }
  const url = new URL(value, ORIGIN);
  if (url.origin !== ORIGIN || url.pathname.startsWith('/sign-in')) return FALLBACK;
  return `${url.pathname}${url.search}${url.hash}`;
}
