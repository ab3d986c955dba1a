// TEST DOUBLE: an HTTP endpoint that misbehaves the way hostile or broken remote MCP servers and the things in front
// of them (proxies, login pages, load balancers) do, chosen by the request's path. No real server here misbehaves on
// demand. Raw TCP (node:net), so that every byte and its timing is ours. Listens on 127.0.0.1 only, on a free port, and
// prints "listening on port N" on stdout once it does.
//   /redirect      302 to a non-loopback address (192.0.2.1, TEST-NET-1: nothing answers there), or to ?to=URL: a
//                  client must not follow it
//   /html          200 text/html: a login or error page where the MCP endpoint should be
//   /status/NNN    that status, with a short text body (5xx: a broken backend)
//   /slowloris     the whole answer (status line, headers, body) one byte per second
//   /endless       200 application/json whose body never ends: 64 KiB chunks of one JSON string, RATE KiB a second
//                  (?rate=N, default 4096), for as long as the connection stays open
//   /stats         JSON: requests per path, connections open now and the most open at once, bytes sent per path
import net from 'node:net';

const stats = { requests: {}, open: 0, maxOpen: 0, sent: {} };

function count(map, key, n = 1) {
  map[key] = (map[key] || 0) + n;
}

function head(status, reason, type, extra = []) {
  return [`HTTP/1.1 ${status} ${reason}`, `Content-Type: ${type}`, ...extra, '', ''].join('\r\n');
}

function fixed(socket, path, status, reason, type, body, extra = []) {
  const bytes = Buffer.from(body, 'utf8');
  const text = head(status, reason, type, [`Content-Length: ${bytes.length}`, 'Connection: close', ...extra]);
  count(stats.sent, path, text.length + bytes.length);
  socket.end(Buffer.concat([Buffer.from(text, 'latin1'), bytes]));
}

function slowloris(socket, path) {
  const answer = Buffer.from(head(200, 'OK', 'application/json', ['Content-Length: 40', 'Connection: close'])
    + '{"jsonrpc":"2.0","id":0,"result":{}}    ', 'latin1');
  let i = 0;
  const timer = setInterval(() => {
    if (i >= answer.length || socket.destroyed) {
      clearInterval(timer);
      socket.end();
      return;
    }
    socket.write(answer.subarray(i, i + 1));
    count(stats.sent, path);
    i++;
  }, 1000);
  socket.on('close', () => clearInterval(timer));
}

function endless(socket, path, rateKiB) {
  socket.write(head(200, 'OK', 'application/json', ['Transfer-Encoding: chunked'])
    + chunk('{"jsonrpc":"2.0","id":0,"result":{"pad":"'));
  const piece = chunk('x'.repeat(64 << 10));
  const perTick = Math.max(1, Math.round(rateKiB / 64 / 10)); // ten ticks a second
  const timer = setInterval(() => {
    if (socket.destroyed) {
      clearInterval(timer);
      return;
    }
    for (let n = 0; n < perTick && socket.writableLength < (1 << 20); n++) {
      socket.write(piece);
      count(stats.sent, path, piece.length);
    }
  }, 100);
  socket.on('close', () => clearInterval(timer));
}

function chunk(text) {
  return Buffer.byteLength(text).toString(16) + '\r\n' + text + '\r\n';
}

function serve(socket, method, target) {
  const url = new URL(target, 'http://127.0.0.1');
  const path = url.pathname;
  count(stats.requests, `${method} ${path}`);
  if (path === '/stats') {
    fixed(socket, path, 200, 'OK', 'application/json', JSON.stringify(stats));
  } else if (path === '/redirect') {
    const to = url.searchParams.get('to') || 'http://192.0.2.1:8080/mcp';
    fixed(socket, path, 302, 'Found', 'text/plain', 'moved', [`Location: ${to}`]);
  } else if (path === '/html') {
    fixed(socket, path, 200, 'OK', 'text/html; charset=utf-8',
      '<!doctype html><html><head><title>Sign in</title></head><body><form>login</form></body></html>');
  } else if (path.startsWith('/status/')) {
    const status = Number(path.slice('/status/'.length)) || 500;
    fixed(socket, path, status, 'Hostile', 'text/plain', `status ${status} from the test double`);
  } else if (path === '/slowloris') {
    slowloris(socket, path);
  } else if (path === '/endless') {
    endless(socket, path, Number(url.searchParams.get('rate') || 4096));
  } else {
    fixed(socket, path, 404, 'Not Found', 'text/plain', 'no such path');
  }
}

const server = net.createServer((socket) => {
  stats.open++;
  stats.maxOpen = Math.max(stats.maxOpen, stats.open);
  socket.on('close', () => stats.open--);
  socket.on('error', () => {});
  let buffered = Buffer.alloc(0);
  let answered = false;
  socket.on('data', (data) => {
    if (answered) {
      return; // one request per connection: every answer closes it, or never ends
    }
    buffered = Buffer.concat([buffered, data]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) {
      if (buffered.length > (64 << 10)) {
        socket.destroy();
      }
      return;
    }
    const lines = buffered.subarray(0, end).toString('latin1').split('\r\n');
    const length = Number((lines.find((l) => /^content-length:/i.test(l)) || 'x: 0').split(':')[1]);
    if (buffered.length < end + 4 + length) {
      return; // the body is still coming
    }
    answered = true;
    const [method, target] = lines[0].split(' ');
    serve(socket, method, target);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on port ${server.address().port}\n`);
});
process.stdin.on('close', () => process.exit(0)); // ends with whoever started it
process.stdin.resume();
