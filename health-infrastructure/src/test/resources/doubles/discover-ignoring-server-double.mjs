// TEST DOUBLE: an MCP server over stdio that never answers methods it does not know (as some servers written before
// the 2026-07-28 protocol do) and offers no tools. With --die-before-initialize it instead ends itself (exit 1) when
// its first request is not initialize, as servers on older Python SDKs did. No real server here behaves so.
import readline from 'node:readline';

const dieBeforeInitialize = process.argv.includes('--die-before-initialize');
let initialized = false;

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return;
  }
  if (msg.id === undefined) {
    return; // a notification
  }
  if (dieBeforeInitialize && !initialized && msg.method !== 'initialize') {
    process.stderr.write('Received request before initialization was complete\n');
    process.exit(1);
  }
  initialized = true;
  const reply = (result) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }) + '\n');
  if (msg.method === 'initialize') {
    reply({
      protocolVersion: msg.params.protocolVersion,
      capabilities: { prompts: {} },
      serverInfo: { name: 'discover-ignoring-double', version: '1.0.0' },
    });
  } else if (msg.method === 'ping') {
    reply({});
  }
  // anything else: silence
});
lines.on('close', () => process.exit(0));
