// Refuses requests by path prefix or method with 403, before they reach the upstream.
//
//   - js:
//       script: filters/deny.js
//       config:
//         paths: [/admin/, /.git/]    # path prefixes to refuse
//         methods: [TRACE, DELETE]    # methods to refuse
//         message: not allowed here   # the body of the 403

export function onRequest(req, ctx) {
  const { paths = [], methods = [], message = 'forbidden' } = ctx.config;
  const path = req.path;
  if (methods.includes(req.method) || paths.some(prefix => path.startsWith(prefix))) {
    ctx.log.info('denied', req.method, path, 'from', req.clientAddress);
    ctx.respond({ status: 403, body: message + '\n' });
  }
}
