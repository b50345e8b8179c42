// Gives every request an id: the client's X-Request-Id when it sent a sane one, a new random one
// otherwise. The upstream receives it in X-Request-Id, the access log and later filters find it in
// the attribute `request.id`, and the client gets it back on the response.
//
//   - js: {script: filters/add-request-id.js}
//   - js: {script: filters/add-request-id.js, config: {header: x-correlation-id}}

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

function newId() {
  let id = '';
  for (let i = 0; i < 4; i++) {
    id += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  }
  return id;
}

export function onRequest(req, ctx) {
  const header = ctx.config.header || 'x-request-id';
  let id = req.headers.get(header);
  if (id === null || !SANE.test(id)) {
    id = newId();
    req.headers.set(header, id);
  }
  ctx.attributes.set('request.id', id);
}

export function onResponse(res, ctx) {
  res.headers.set(ctx.config.header || 'x-request-id', ctx.attributes.get('request.id'));
}
