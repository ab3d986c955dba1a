// A minimal MCP server over streamable HTTP for WatchBench's "lite" target: it answers what a liveness probe sends
// (initialize, notifications/initialized, ping, an unknown method such as server/discover with -32601, the GET stream
// and the closing DELETE) with the same wire format as server-everything (SSE answers with a priming event, a session
// id header, a GET stream kept open), but without Express, schema validation or an event store, so that one process
// serves thousands of sessions on little CPU and the monitor's own cost can be measured. Loopback only.
import http from "node:http";
import { randomUUID } from "node:crypto";

const port = Number(process.env.PORT);
const sessions = new Set();
let seq = 0;

function sse(res, sessionId, message) {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "mcp-session-id": sessionId,
  });
  res.write(`id: ${++seq}\ndata: \n\n`);
  res.end(`event: message\nid: ${++seq}\ndata: ${JSON.stringify(message)}\n\n`);
}

const server = http.createServer((req, res) => {
  if (req.url !== "/mcp") {
    res.writeHead(404).end();
    return;
  }
  const sessionId = req.headers["mcp-session-id"];
  if (req.method === "GET") {
    if (!sessions.has(sessionId)) {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform",
      connection: "keep-alive" });
    res.write(`id: ${++seq}\ndata: \n\n`); // kept open until the client goes
    return;
  }
  if (req.method === "DELETE") {
    sessions.delete(sessionId);
    res.writeHead(200).end();
    return;
  }
  if (req.method !== "POST") {
    res.writeHead(405).end();
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let msg;
    try {
      msg = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (msg.method === "initialize") {
      const id = randomUUID();
      sessions.add(id);
      sse(res, id, { jsonrpc: "2.0", id: msg.id, result: {
        protocolVersion: msg.params?.protocolVersion ?? "2025-06-18",
        capabilities: { tools: { listChanged: true } },
        serverInfo: { name: "bench-lite", version: "1.0.0" } } });
      return;
    }
    if (!sessions.has(sessionId)) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0",
        id: msg.id ?? null, error: { code: -32001, message: "Session not found" } }));
      return;
    }
    if (msg.id === undefined) { // a notification
      res.writeHead(202).end();
      return;
    }
    if (msg.method === "ping") {
      sse(res, sessionId, { jsonrpc: "2.0", id: msg.id, result: {} });
      return;
    }
    sse(res, sessionId, { jsonrpc: "2.0", id: msg.id, error: { code: -32601, message: "Method not found" } });
  });
});
server.keepAliveTimeout = 5000;
server.listen(port, "127.0.0.1", () => process.stderr.write(`bench-lite listening on port ${port}\n`));
