package dev.mcphealth.bench;

import java.util.Arrays;

/**
 * Picks the benchmark the {@code bench} profile runs: {@code -Dbench=probe} (the default, {@link ProbeBench}),
 * {@code -Dbench=watch} ({@link WatchBench}), {@code -Dbench=client} ({@link ClientBench}), {@code -Dbench=balancing} ({@link BalancingBench}), {@code -Dbench=store} ({@link StoreBench}) or {@code -Dbench=all}. {@code -Dbench.options="key=value ..."} is handed
 * to the benchmark as its arguments (see each one's documentation).
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        // as bin/mcp-health's Main does, before anything touches CompletableFuture (see WatchBench)
        if (System.getProperty(WatchBench.COMMON_PARALLELISM) == null
                && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(WatchBench.COMMON_PARALLELISM, "2");
        }
        String which = System.getProperty("bench", "probe").trim();
        String options = System.getProperty("bench.options", "").trim();
        String[] rest = options.isEmpty() ? args
                : concat(args, options.split("\\s+"));
        try {
            run(which, rest);
        } catch (WatchBench.BadOption e) { // a bad option or plan: one line naming it, no stack trace
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String which, String[] rest) throws Exception {
        switch (which.isEmpty() ? "probe" : which) {
            case "probe" -> ProbeBench.main(rest);
            case "watch" -> WatchBench.main(rest);
            case "client" -> ClientBench.main(rest);
            case "balancing" -> BalancingBench.main(rest);
            case "store" -> StoreBench.main(rest);
            case "all" -> {
                ProbeBench.main(new String[0]);
                ClientBench.main(new String[0]);
                WatchBench.main(rest);
            }
            default -> throw new WatchBench.BadOption("-Dbench must be probe, watch, client, balancing, store or all, got " + which);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
