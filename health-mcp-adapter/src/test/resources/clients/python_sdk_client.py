"""A client nobody here wrote: the official MCP Python SDK's ClientSession, driving an MCP server (mcp-health's
gateway in the tests) over stdio or streamable HTTP, as a Python agent would.

    python_sdk_client.py PLAN_JSON stdio COMMAND [ARG...]
    python_sdk_client.py PLAN_JSON http URL

PLAN_JSON is a list of steps, each one of
    {"list": true}                                   -> {"tools": [names]}
    {"call": NAME, "arguments": {...}}               -> {"isError": bool, "text": "..."} or {"error": "..."}
    {"loop": NAME, "arguments": {...}, "seconds": S} -> {"calls": n, "failed": n, "failures": ["..."]}
    {"prompt": NAME, "arguments": {...}}             -> {"text": "..."} (its messages' texts) or {"error": "..."}
    {"read": URI}                                    -> {"text": "..."} (its text contents) or {"error": "..."}
and the answers, one per step, are printed as one JSON list on stdout (what the SDK logs goes to stderr).
"""
import asyncio
import json
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client


def text_of(result):
    return "\n".join(c.text for c in result.content if getattr(c, "type", None) == "text")


async def call(session, name, arguments):
    try:
        result = await session.call_tool(name, arguments)
        return {"isError": bool(result.is_error), "text": text_of(result)}
    except Exception as e:  # an MCP error answer or a broken transport: both are a failed call to the user
        return {"error": f"{type(e).__name__}: {e}"}


async def run(session, plan):
    init = await session.initialize()
    answers = []
    for step in plan:
        if "list" in step:
            tools = await session.list_tools()
            answers.append({"tools": [t.name for t in tools.tools], "server": init.server_info.name})
        elif "call" in step:
            answers.append(await call(session, step["call"], step.get("arguments", {})))
        elif "loop" in step:
            calls, failures = 0, []
            end = time.monotonic() + step["seconds"]
            while time.monotonic() < end:
                answer = await call(session, step["loop"], step.get("arguments", {}))
                calls += 1
                if "error" in answer or answer["isError"]:
                    failures.append(answer.get("error") or answer["text"])
            answers.append({"calls": calls, "failed": len(failures), "failures": failures[:20]})
        elif "prompt" in step:
            try:
                got = await session.get_prompt(step["prompt"], step.get("arguments", {}))
                answers.append({"text": "\n".join(getattr(m.content, "text", "") for m in got.messages)})
            except Exception as e:
                answers.append({"error": f"{type(e).__name__}: {e}"})
        elif "read" in step:
            try:
                read = await session.read_resource(step["read"])
                answers.append({"text": "\n".join(getattr(c, "text", "") or "" for c in read.contents)})
            except Exception as e:
                answers.append({"error": f"{type(e).__name__}: {e}"})
        else:
            raise ValueError(f"unknown step {step}")
    return answers


async def main():
    plan = json.loads(sys.argv[1])
    transport = sys.argv[2]
    if transport == "stdio":
        params = StdioServerParameters(command=sys.argv[3], args=sys.argv[4:])
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write, read_timeout_seconds=120) as session:
                answers = await run(session, plan)
    elif transport == "http":
        async with streamable_http_client(sys.argv[3]) as (read, write, *_):
            async with ClientSession(read, write, read_timeout_seconds=120) as session:
                answers = await run(session, plan)
    else:
        raise ValueError(f"unknown transport {transport}: stdio or http")
    print(json.dumps(answers))


asyncio.run(main())
