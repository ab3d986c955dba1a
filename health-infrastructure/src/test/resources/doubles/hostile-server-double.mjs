// TEST DOUBLE: an MCP server over stdio that misbehaves the way hostile or broken servers do, chosen by its first
// argument. No real server here misbehaves on demand. It answers initialize and ping correctly otherwise.
//   huge-line MB      answers ping with one line of MB megabytes (a message no client should buffer whole)
//   stderr-flood MB   writes MB megabytes to stderr without a newline, then serves normally
//   garbage PER_SEC   writes PER_SEC lines of non-JSON to stdout every second, and serves normally
//   close-stdout      closes its stdout after initialize and keeps running (reading stdin, answering nothing)
//   hang              answers initialize, then never answers anything again
//   bad-tool          offers tools: lists "fine" (its description quoting $DOUBLE_KEY, as a server echoing what it
//                     was given would) and "broken" (an inputSchema that is a string, not an object)
//   bad-answer        answers ping with neither a result nor an error: {"jsonrpc":"2.0","id":ID}
//   crash-after MS [LOG]  serves normally and exits with code 1 MS milliseconds after it started (a crash loop, once
//                     restarted again and again); appends "start EPOCH_MS" and "exit EPOCH_MS" lines to LOG if given
import { appendFileSync } from 'node:fs';
import readline from 'node:readline';

const [mode, amount] = [process.argv[2], Number(process.argv[3] || 0)];
const MB = 1 << 20;
let stdoutClosed = false;
const out = (text) => {
  if (!stdoutClosed) {
    process.stdout.write(text);
  }
};

if (mode === 'crash-after') {
  const log = process.argv[4];
  if (log) {
    appendFileSync(log, `start ${Date.now()}\n`);
  }
  setTimeout(() => {
    process.stderr.write(`crashing on purpose ${amount} ms after start\n`);
    if (log) {
      appendFileSync(log, `exit ${Date.now()}\n`);
    }
    process.exit(1);
  }, amount);
}

if (mode === 'stderr-flood') {
  const chunk = 'e'.repeat(MB);
  for (let i = 0; i < amount; i++) {
    process.stderr.write(chunk);
  }
}
if (mode === 'garbage') {
  setInterval(() => {
    for (let i = 0; i < amount; i++) {
      out('garbage line ' + i + ' \u001b[31m not json\n');
    }
  }, 1000);
}

const lines = readline.createInterface({ input: process.stdin });
let initialized = false;
lines.on('line', (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return;
  }
  if (msg.id === undefined) {
    return;
  }
  const reply = (result) => out(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }) + '\n');
  if (msg.method === 'initialize') {
    reply({ protocolVersion: msg.params.protocolVersion, capabilities: mode === 'bad-tool' ? { tools: {} } : {},
      serverInfo: { name: 'hostile-double', version: '1.0.0' } });
    initialized = true;
    if (mode === 'close-stdout') {
      setTimeout(() => {
        stdoutClosed = true;
        process.stdout.end();
      }, 10);
    }
  } else if (mode === 'hang' && initialized) {
    // silence
  } else if (msg.method === 'ping') {
    if (mode === 'bad-answer') {
      out(JSON.stringify({ jsonrpc: '2.0', id: msg.id }) + '\n');
    } else if (mode === 'huge-line') {
      out('{"jsonrpc":"2.0","id":' + JSON.stringify(msg.id) + ',"result":{"pad":"'
        + 'x'.repeat(amount * MB) + '"}}\n');
    } else {
      reply({});
    }
  } else if (mode === 'bad-tool' && msg.method === 'tools/list') {
    reply({ tools: [
      { name: 'fine', description: `called with key ${process.env.DOUBLE_KEY}`, inputSchema: { type: 'object' } },
      { name: 'broken', description: 'a schema that is no object', inputSchema: 'nope' }] });
  } else {
    out(JSON.stringify({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } })
      + '\n');
  }
});
lines.on('close', () => process.exit(0));
setInterval(() => {}, 1 << 30); // keep running while stdin is open
