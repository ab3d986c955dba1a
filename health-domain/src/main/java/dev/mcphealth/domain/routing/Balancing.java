package dev.mcphealth.domain.routing;

import dev.mcphealth.domain.model.Coded;

/**
 * How a pool's calls are spread over its usable primary instances (docs/gateway.md). Whatever the mode, a call that
 * fails before it reaches an instance goes on to the next one, and fallback types serve only when no primary can.
 */
public enum Balancing implements Coded {
    /**
     * Power of two choices over each instance's load ({@link InstanceLoad}: peak-EWMA latency x (in flight + 1),
     * failures counted as a penalty latency): two usable instances drawn at random, the cheaper one takes the call.
     * Calls spread by how fast each instance answers now; a slow or failing one gets fewer, and a recovered one gets
     * them back as its penalty decays. The default.
     */
    P2C("p2c"),
    /**
     * The instance now serving keeps the calls while it is usable; an earlier one (the primary) takes them back once
     * it has been healthy for the fail-back time. For stateful servers (a memory server) whose calls must land where
     * the state is.
     */
    STICKY("sticky"),
    /** Always the first usable instance in health and configuration order, falling back at once, no hysteresis. */
    PRIORITY("priority"),
    /**
     * The usable primaries in turn, whatever their load: the baseline the power of two choices is measured against
     * (docs/benchmarks.md), and for instances known to be alike.
     */
    ROUND_ROBIN("round_robin");

    /** A pool's balancing when its configuration says none. */
    public static final Balancing DEFAULT = P2C;

    private final String code;

    Balancing(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    /** Whether calls move between the usable primaries by themselves (so a move between them is no failover). */
    public boolean spreads() {
        return this == P2C || this == ROUND_ROBIN;
    }

    public static Balancing fromCode(String code) {
        return Coded.parse(Balancing.class, code, "balancing");
    }
}
