#!/usr/bin/env python3
"""CPU time by kind of process while a command runs: where a test run's cores go.

    scripts/cpu-by-process.py -- mvn -B verify -pl health-mcp-adapter -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false

Samples /proc every 0.2 s while the command runs and adds up each process's user + system time under a kind: the
test JVMs (surefire/failsafe forks), the JVMs the tests start (the MCP server, the CLI, a watch, the orchestrator
double), node and Python servers and clients, PostgreSQL, Maven, other. Each process's last moments after the last
sample it was seen in are missed (a process shorter than a sample entirely); what else runs on the machine meanwhile
is counted too. Linux only. Exit status: the command's.
"""
import collections
import os
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def kind(argv):
    words = argv.split("\0")
    line = " ".join(words)
    exe = os.path.basename(words[0])
    if exe == "java":
        if "surefirebooter" in line:
            return "test JVM (surefire/failsafe fork)"
        if "org.codehaus.plexus.classworlds" in line:
            return "maven"
        if "OrchestratorDouble" in line:
            return "java: orchestrator double"
        if "mcp-health-server" in line or "ServerMain" in line:
            return "java: mcp-health-server"
        if "mcp-health.jar" in line or "dev.mcphealth.adapter.cli.di.Main" in line:
            command = next((w for w in words[1:] if w in ("watch", "dashboard")), "one-shot command")
            return "java: mcp-health " + command
        main = next((w for w in words[1:] if w.startswith("dev.mcphealth.")), None)
        if main:
            return "java: " + main.rsplit(".", 1)[-1]  # a program of the tests' own (SoakMonitor, say)
        return "java: other"
    if exe == "node" or exe.startswith("node"):
        for name in ("inspector", "server-everything", "server-memory", "oauth2-mock-server", "double"):
            if name in line:
                return "node: " + name
        return "node: other"
    if exe.startswith("python"):
        return "python"
    if "postgres" in exe:
        return "postgres"
    if exe in ("chromium", "chrome", "chromedriver") or "chromium" in line:
        return "chromium"
    return "other: " + exe


def main():
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    seen = {}  # (pid, start time) -> [kind, ticks]: a pid used again is another process
    sample(seen)
    before = {key: ticks for key, (_, ticks) in seen.items()}  # what ran before the command counts from now
    started = time.monotonic()
    child = subprocess.Popen(args)
    while True:
        sample(seen)
        if child.poll() is not None:
            break
        time.sleep(0.2)
    wall = time.monotonic() - started
    seconds = collections.Counter()
    count = collections.Counter()
    for key, (k, ticks) in seen.items():
        used = (ticks - before.get(key, 0)) / HZ
        if used > 0:
            seconds[k] += used
            count[k] += 1
    print("\nCPU by kind of process (%.0f s wall, %.0f s CPU in all):" % (wall, sum(seconds.values())),
          file=sys.stderr)
    for k, s in seconds.most_common():
        if s >= 0.5:
            print("%9.1f s  %5d processes  %s" % (s, count[k], k), file=sys.stderr)
    return child.returncode


def sample(seen):
    """Every process's CPU ticks so far but this script's own, into seen."""
    own = str(os.getpid())
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or pid == own:
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                stat = f.read()
            fields = stat[stat.rfind(")") + 2:].split()
            ticks = int(fields[11]) + int(fields[12])
            key = (pid, fields[19])
            with open("/proc/%s/cmdline" % pid) as f:
                argv = f.read().rstrip("\0")  # read again: a process may exec another program
            if argv:
                seen[key] = [kind(argv), ticks]
            elif key in seen:
                seen[key][1] = ticks
        except (OSError, ValueError, IndexError):
            pass  # ended meanwhile


if __name__ == "__main__":
    sys.exit(main())
