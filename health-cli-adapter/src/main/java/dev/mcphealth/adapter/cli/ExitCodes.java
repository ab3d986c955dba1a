package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.Printable;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The monitoring-plugin convention Nagios, Icinga and Sensu understand: 0 all healthy, 1 a warning, 2 critical or
 * offline, 3 the check itself could not run (usage or configuration error). Every exception is mapped here.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int WARNING = 1;
    public static final int CRITICAL = 2;
    public static final int UNKNOWN = 3;

    /** What each exit code of a health check says, as help shows it. */
    static final java.util.Map<String, String> HEALTH_EXITS = healthExits();

    private static java.util.Map<String, String> healthExits() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(String.valueOf(OK), "all selected servers healthy");
        m.put(String.valueOf(WARNING), "a server in warning");
        m.put(String.valueOf(CRITICAL), "a server critical or offline");
        m.put(String.valueOf(UNKNOWN), "usage, configuration or database error");
        return java.util.Collections.unmodifiableMap(m);
    }

    private ExitCodes() {
    }

    /**
     * A command that needs a subcommand and was given none: its usage on stderr, and {@link #UNKNOWN} (there was
     * nothing to do).
     */
    static int usageWithoutSubcommand(CommandLine.Model.CommandSpec spec) {
        spec.commandLine().usage(spec.commandLine().getErr());
        return UNKNOWN;
    }

    /** 0 when healthy; else the severity an alert of that status has: 1 for a warning, 2 for critical or offline. */
    public static int of(HealthStatus overall) {
        if (overall == HealthStatus.HEALTHY) {
            return OK;
        }
        return AlertSeverity.of(overall) == AlertSeverity.WARNING ? WARNING : CRITICAL;
    }

    /**
     * Installs the mapping on a command line: bad flags and bad input exit 3 with one sentence on stderr, its control
     * and bidirectional formatting characters escaped.
     */
    public static CommandLine install(CommandLine cli) {
        // the health exit codes, which mcp-health itself and its check command both end with
        for (CommandLine c : new CommandLine[] {cli, cli.getSubcommands().get("check")}) {
            if (c != null) {
                c.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(HEALTH_EXITS);
            }
        }
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("mcp-health: " + Printable.escape(ex.getMessage()));
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
            return UNKNOWN;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof UsageProblem || ex instanceof UnknownServerException
                    || ex instanceof StorageUnavailableException) {
                // one line, shown as it is: a name or path in it may hold control characters
                err.println("mcp-health: " + Printable.escape(ex.getMessage()));
                return UNKNOWN;
            }
            // a bug: one line that says what it can, never the exception's class or its stack
            err.println("mcp-health: internal error (a bug in MCP Health, please report it): "
                    + Printable.escape(Faults.describe(ex)));
            return UNKNOWN;
        });
        return cli;
    }
}
