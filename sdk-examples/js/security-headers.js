// Adds the usual security headers to every response, keeping the ones the upstream set itself,
// and removes headers that advertise the upstream's software.
//
//   - js:
//       script: filters/security-headers.js
//       config:
//         hsts-max-age: 31536000                        # seconds; 0 leaves HSTS out
//         content-security-policy: "default-src 'self'" # omitted when not given
//         remove: [server, x-powered-by]

const DEFAULTS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
};

export function onResponse(res, ctx) {
  const config = ctx.config;
  const headers = { ...DEFAULTS };
  const maxAge = config['hsts-max-age'] ?? 31536000;
  if (maxAge > 0) {
    headers['strict-transport-security'] = `max-age=${maxAge}; includeSubDomains`;
  }
  if (config['content-security-policy']) {
    headers['content-security-policy'] = config['content-security-policy'];
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!res.headers.has(name)) {
      res.headers.set(name, value);
    }
  }
  for (const name of config.remove ?? ['server', 'x-powered-by']) {
    res.headers.remove(name);
  }
}
