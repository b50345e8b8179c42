// Lets through only clients whose TLS certificate carries one of the given URIs among its subject
// alternative names (such as SPIFFE IDs), and answers 403 to every other client, including those
// without a certificate. Use it behind a listener with client-auth (request or require), which
// has verified the certificate against its client-ca.
//
//   - js:
//       script: filters/require-client-uri.js
//       config:
//         allow: [spiffe://example.org/billing, spiffe://example.org/reports]

export function onRequest(req, ctx) {
  const allow = ctx.config.allow ?? [];
  const cert = req.clientCertificate;
  if (cert && cert.sans.some(san => san.type === 'URI' && allow.includes(san.value))) {
    return;
  }
  ctx.log.info('refused', cert ? cert.subject : 'a client without a certificate', req.method, req.path);
  ctx.respond({ status: 403, body: 'this service needs an allowed client certificate\n' });
}
