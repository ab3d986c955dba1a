package dev.mcphealth.infrastructure.probe;

/** What MCP Health adds to the environment of the servers it starts. */
public final class ChildEnvironment {
    /**
     * Set in every server an {@code mcp-health-server} starts, to that process's id. An {@code mcp-health-server} that
     * finds it was started by one (its own entry in the config it watches) refuses to run, instead of starting itself
     * again and again. The CLI does not set it: {@code bin/mcp-health check} may start an {@code mcp-health-server}
     * over stdio to check it, like any MCP server.
     */
    public static final String PARENT_PID = "MCP_HEALTH_PARENT_PID";

    /**
     * What of MCP Health's own environment a server it starts does not inherit: its database's address
     * ({@code MCP_HEALTH_DB}: a {@code postgresql://user:password@host/db} URL may carry the password), and, when its
     * database is PostgreSQL, the password it takes from {@code PGPASSWORD} ({@link #keepFromServers}). A server that
     * needs one gets it named in its entry's {@code env} ({@code "PGPASSWORD": "${PGPASSWORD}"}; docs/configuration.md).
     */
    private static final java.util.Set<String> NOT_INHERITED =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        NOT_INHERITED.add("MCP_HEALTH_DB");
    }

    /** {@code variable} holds a secret of MCP Health's own (its database's password): not passed to its servers. */
    public static void keepFromServers(String variable) {
        NOT_INHERITED.add(variable);
    }

    private static volatile boolean server;

    private ChildEnvironment() {
    }

    /** This process is an {@code mcp-health-server}: the servers it starts get {@link #PARENT_PID}. */
    public static void markServer() {
        server = true;
    }

    static boolean guardChildren() {
        return server;
    }

    /** The environment of a server to start, {@code inherited} as the JVM's: what it must not inherit removed. */
    static void withoutOwnSecrets(java.util.Map<String, String> inherited) {
        NOT_INHERITED.forEach(inherited::remove);
    }
}
