// TEST DOUBLE: an MCP server over stdio whose only tool, echo (annotated read-only), answers after an injected
// latency, for the balancing benchmarks (BalancingBench): no real server is slow, heavy-tailed, overloaded or failing
// on demand. It speaks the protocol as server-everything does (initialize, notifications, ping, tools/list,
// tools/call, an unknown method -32601). Its one prompt (slow) and one resource (slow://doc) answer after the same
// latency (prompts/get, resources/read), for the gateway's cancellation tests. Options, each --name value:
//   --delay MS          every call takes MS milliseconds (default 1)
//   --tail-every N      one call in N (at random) takes --tail-factor times as long (a heavy tail)
//   --tail-factor F     (default 50)
//   --capacity C        at most C calls run at once; the others wait their turn (an instance that queues)
//   --fail true         every tools/call is answered with a JSON-RPC internal error (-32603) after the delay
//   --count FILE        one byte is appended to FILE per tools/call, prompts/get or resources/read received (its size
//                       counts them, across restarts)
//   --swap-after MS     MS milliseconds after its start its tool is named echo_later instead of echo (its tools
//                       changed under a running server, as an upgrade in place does), and it says so
//                       (notifications/tools/list_changed)
//   --cancelled FILE    a request the client cancels (notifications/cancelled) is dropped unanswered, as the
//                       TypeScript SDK's servers drop an aborted request, and its request id appended to FILE, one per
//                       line
import { appendFileSync } from 'node:fs';
import readline from 'node:readline';

const opts = { delay: 1, 'tail-every': 0, 'tail-factor': 50, capacity: 0, fail: 'false', count: '', 'swap-after': 0,
  cancelled: '' };
for (let i = 2; i + 1 < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (!(key in opts)) {
    process.stderr.write(`latency-server-double: unknown option ${process.argv[i]}\n`);
    process.exit(2);
  }
  opts[key] = typeof opts[key] === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
let received = 0;
let running = 0;
const waiting = [];
/** The ids of the calls under way or waiting; a cancelled one is removed, and then never answered. */
const live = new Set();

const ECHO = {
  name: 'echo',
  description: 'Echoes back the input after the injected latency',
  inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
  annotations: { readOnlyHint: true, idempotentHint: true },
};

const PROMPT = { name: 'slow', description: 'A prompt got after the injected latency' };
const DOC = { uri: 'slow://doc', name: 'doc', mimeType: 'text/plain' };

/** The result of a request, once its latency has passed. */
function result(c) {
  if (c.method === 'prompts/get') {
    return { messages: [{ role: 'user', content: { type: 'text', text: 'slow prompt' } }] };
  }
  if (c.method === 'resources/read') {
    return { contents: [{ uri: DOC.uri, mimeType: DOC.mimeType, text: 'slow doc' }] };
  }
  return { content: [{ type: 'text', text: `Echo: ${c.args?.message ?? ''}` }] };
}

function finish(c) {
  const id = c.id;
  if (!live.delete(JSON.stringify(id))) {
    // cancelled: no answer
  } else if (opts.fail === 'true') {
    send({ jsonrpc: '2.0', id, error: { code: -32603, message: 'internal error (injected)' } });
  } else {
    send({ jsonrpc: '2.0', id, result: result(c) });
  }
  running--;
  if (waiting.length > 0) {
    start(waiting.shift());
  }
}

function start(call) {
  running++;
  let ms = opts.delay;
  if (opts['tail-every'] > 0 && Math.random() * opts['tail-every'] < 1) {
    ms *= opts['tail-factor'];
  }
  setTimeout(() => finish(call), ms);
}

function call(id, params, method) {
  received++;
  if (opts.count) {
    appendFileSync(opts.count, '.');
  }
  const c = { id, args: params?.arguments, method };
  live.add(JSON.stringify(id));
  if (opts.capacity > 0 && running >= opts.capacity) {
    waiting.push(c);
  } else {
    start(c);
  }
}

if (opts['swap-after'] > 0) {
  setTimeout(() => {
    ECHO.name = 'echo_later';
    send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
  }, opts['swap-after']);
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let m;
  try {
    m = JSON.parse(line);
  } catch {
    return;
  }
  if (m.method === 'notifications/cancelled' && m.params?.requestId !== undefined) {
    if (live.delete(JSON.stringify(m.params.requestId)) && opts.cancelled) {
      appendFileSync(opts.cancelled, `${m.params.requestId}\n`);
    }
    return;
  }
  if (m.id === undefined || m.method === undefined) {
    return; // a notification or an answer
  }
  switch (m.method) {
    case 'initialize':
      send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params?.protocolVersion ?? '2025-06-18',
        capabilities: { tools: { listChanged: opts['swap-after'] > 0 }, prompts: {}, resources: {} }, serverInfo: { name: 'latency-server-double', version: '1.0.0' } } });
      break;
    case 'ping':
      send({ jsonrpc: '2.0', id: m.id, result: {} });
      break;
    case 'tools/list':
      send({ jsonrpc: '2.0', id: m.id, result: { tools: [ECHO] } });
      break;
    case 'tools/call':
      if (m.params?.name !== ECHO.name) {
        send({ jsonrpc: '2.0', id: m.id, error: { code: -32602, message: `Unknown tool: ${m.params?.name}` } });
      } else {
        call(m.id, m.params, m.method);
      }
      break;
    case 'prompts/list':
      send({ jsonrpc: '2.0', id: m.id, result: { prompts: [PROMPT] } });
      break;
    case 'resources/list':
      send({ jsonrpc: '2.0', id: m.id, result: { resources: [DOC] } });
      break;
    case 'resources/templates/list':
      send({ jsonrpc: '2.0', id: m.id, result: { resourceTemplates: [] } });
      break;
    case 'prompts/get':
    case 'resources/read':
      if ((m.method === 'prompts/get' ? m.params?.name !== PROMPT.name : m.params?.uri !== DOC.uri)) {
        send({ jsonrpc: '2.0', id: m.id, error: { code: m.method === 'prompts/get' ? -32602 : -32002,
          message: `Unknown ${m.method === 'prompts/get' ? 'prompt' : 'resource'}` } });
      } else {
        call(m.id, m.params, m.method);
      }
      break;
    default:
      send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: `Method not found: ${m.method}` } });
  }
});
