"""A client nobody here wrote: the official MCP Python SDK's high-level Client (2.3.0), driving an MCP server
(mcp-health's, in the tests) over stdio or streamable HTTP, as a Python agent would.

    python_sdk_client.py [--mode auto|legacy] PLAN_JSON stdio COMMAND [ARG...]
    python_sdk_client.py [--mode auto|legacy] PLAN_JSON http URL

--mode auto is the SDK's default: server/discover first (the 2026-07-28 revision), the initialize handshake only when
that is refused; legacy (the default here) is the handshake alone, as clients before the revision speak.
PLAN_JSON is a list of steps, each one of
    {"list": true}                                   -> {"tools": [names], "server": name|null, "era": version,
                                                         "stateless": bool}
    {"call": NAME, "arguments": {...}}               -> {"isError": bool, "text": "..."} or {"error": "..."}
    {"loop": NAME, "arguments": {...}, "seconds": S} -> {"calls": n, "failed": n, "failures": ["..."]}
    {"prompt": NAME, "arguments": {...}}             -> {"text": "..."} (its messages' texts) or {"error": "..."}
    {"read": URI}                                    -> {"text": "..."} (its text contents) or {"error": "..."}
and the answers, one per step, are printed as one JSON list on stdout (what the SDK logs goes to stderr).
"era" is the protocol version the SDK negotiated ("2026-07-28" in the revision); "stateless" whether it holds a
discover result rather than an initialize result.
"""
import asyncio
import json
import sys
import time

from mcp import Client, StdioServerParameters


def text_of(result):
    return "\n".join(c.text for c in result.content if getattr(c, "type", None) == "text")


async def call(client, name, arguments):
    try:
        result = await client.call_tool(name, arguments)
        return {"isError": bool(result.is_error), "text": text_of(result)}
    except Exception as e:  # an MCP error answer or a broken transport: both are a failed call to the user
        return {"error": f"{type(e).__name__}: {e}"}


async def run(client, plan):
    answers = []
    for step in plan:
        if "list" in step:
            # cache_mode="bypass": every list step reaches the server (the Client caches by ttlMs otherwise).
            tools = await client.list_tools(cache_mode="bypass")
            info = client.server_info
            answers.append({"tools": [t.name for t in tools.tools], "server": info.name if info else None,
                            "era": client.protocol_version,
                            "stateless": client.session.discover_result is not None})
        elif "call" in step:
            answers.append(await call(client, step["call"], step.get("arguments", {})))
        elif "loop" in step:
            calls, failures = 0, []
            end = time.monotonic() + step["seconds"]
            while time.monotonic() < end:
                answer = await call(client, step["loop"], step.get("arguments", {}))
                calls += 1
                if "error" in answer or answer["isError"]:
                    failures.append(answer.get("error") or answer["text"])
            answers.append({"calls": calls, "failed": len(failures), "failures": failures[:20]})
        elif "prompt" in step:
            try:
                got = await client.get_prompt(step["prompt"], step.get("arguments", {}))
                answers.append({"text": "\n".join(getattr(m.content, "text", "") for m in got.messages)})
            except Exception as e:
                answers.append({"error": f"{type(e).__name__}: {e}"})
        elif "read" in step:
            try:
                read = await client.read_resource(step["read"], cache_mode="bypass")
                answers.append({"text": "\n".join(getattr(c, "text", "") or "" for c in read.contents)})
            except Exception as e:
                answers.append({"error": f"{type(e).__name__}: {e}"})
        else:
            raise ValueError(f"unknown step {step}")
    return answers


async def main():
    args = sys.argv[1:]
    mode = "legacy"
    if args[0] == "--mode":
        mode, args = args[1], args[2:]
    plan = json.loads(args[0])
    transport = args[1]
    if transport == "stdio":
        server = StdioServerParameters(command=args[2], args=args[3:])
    elif transport == "http":
        server = args[2]
    else:
        raise ValueError(f"unknown transport {transport}: stdio or http")
    async with Client(server, read_timeout_seconds=120, mode=mode) as client:
        answers = await run(client, plan)
    print(json.dumps(answers))


asyncio.run(main())
