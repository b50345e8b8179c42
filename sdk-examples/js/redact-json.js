// Replaces the values of sensitive fields in JSON responses, at any depth, before they reach the
// client. Needs the response body: give the filter a response-body limit.
//
//   - js:
//       script: filters/redact-json.js
//       response-body: 1MB
//       config:
//         fields: [password, ssn, token]   # field names, compared without case
//         replacement: '[redacted]'

function redact(value, fields, replacement) {
  if (Array.isArray(value)) {
    return value.map(v => redact(v, fields, replacement));
  }
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = fields.has(key.toLowerCase()) ? replacement : redact(v, fields, replacement);
    }
    return out;
  }
  return value;
}

export function onResponse(res, ctx) {
  const type = res.headers.get('content-type') || '';
  if (!type.includes('json')) {
    return;
  }
  const { fields = ['password'], replacement = '[redacted]' } = ctx.config;
  const names = new Set(fields.map(f => f.toLowerCase()));
  let body;
  try {
    body = res.json();
  } catch (e) {
    ctx.log.warn('not JSON although', type, 'was announced:', e.message);
    return;
  }
  if (body !== null) {
    res.setBody(redact(body, names, replacement));
  }
}
