"""A real MCP server on the official Python SDK (2.3.0), which serves both protocol eras: the 2026-07-28 revision
(server/discover, stateless requests) and the handshake (initialize, sessions). For the probe's tests of both.

    python_dual_era_server.py stdio
    python_dual_era_server.py http PORT [json]    (json: answers as JSON bodies instead of SSE streams)
"""
import sys

from mcp.server.caching import CacheHint
from mcp.server.mcpserver import MCPServer

mcp = MCPServer(name="python-dual-era", version="1.0.0", instructions="A test server of both protocol eras.",
                cache_hints={"tools/list": CacheHint(ttl_ms=60000, scope="public")})


@mcp.tool()
def add(a: int, b: int) -> int:
    """Adds two integers."""
    return a + b


if __name__ == "__main__":
    if sys.argv[1] == "stdio":
        mcp.run("stdio")
    else:
        mcp.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]),
                json_response=len(sys.argv) > 3 and sys.argv[3] == "json")
