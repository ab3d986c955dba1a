package dev.mcphealth.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and its npm-installed test servers are. */
public final class RepoPaths {
    private RepoPaths() {
    }

    /** The repository root: Failsafe passes it; otherwise the nearest directory up with package.json. */
    public static Path root() {
        String fromBuild = System.getProperty("mcphealth.repo.root");
        if (fromBuild != null && Files.exists(Path.of(fromBuild, "package.json"))) {
            return Path.of(fromBuild);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("package.json")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (package.json) from " + Path.of("").toAbsolutePath());
    }

    /** An npm package's file under node_modules; fails with the fix when the servers are not installed. */
    public static Path nodeModule(String relative) {
        Path p = root().resolve("node_modules").resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " is missing: run scripts/install-test-servers.sh (mvn verify does)");
        }
        return p;
    }
}
