// Splits clients between variants (A/B testing) and keeps each client on its variant with a
// cookie. The upstream learns the variant from a header, later filters from the attribute
// `ab.variant`.
//
//   - js:
//       script: filters/ab-split.js
//       config:
//         cookie: ab                 # the cookie remembering the variant
//         header: x-variant          # the header telling the upstream
//         variants: {a: 90, b: 10}   # variant name: weight
//         max-age: 2592000           # cookie lifetime in seconds (30 days)

function cookie(req, name) {
  for (const header of req.headers.getAll('cookie')) {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0 && pair.slice(0, eq).trim() === name) {
        return pair.slice(eq + 1).trim();
      }
    }
  }
  return null;
}

function pick(variants) {
  const names = Object.keys(variants);
  const total = names.reduce((sum, n) => sum + variants[n], 0);
  let r = Math.random() * total;
  for (const n of names) {
    r -= variants[n];
    if (r < 0) return n;
  }
  return names[names.length - 1];
}

export function onRequest(req, ctx) {
  const { cookie: name = 'ab', header = 'x-variant', variants = { a: 50, b: 50 } } = ctx.config;
  let variant = cookie(req, name);
  if (variant === null || !Object.hasOwn(variants, variant)) {
    variant = pick(variants);
    ctx.attributes.set('ab.assigned', true);
  }
  req.headers.set(header, variant);
  ctx.attributes.set('ab.variant', variant);
}

export function onResponse(res, ctx) {
  if (ctx.attributes.get('ab.assigned')) {
    const { cookie: name = 'ab', 'max-age': maxAge = 2592000 } = ctx.config;
    res.headers.add('set-cookie',
        `${name}=${ctx.attributes.get('ab.variant')}; Path=/; Max-Age=${maxAge}; SameSite=Lax`);
  }
}
