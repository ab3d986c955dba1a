package dev.mcphealth.adapter.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"mcp-health " + (v == null ? "dev" : v)};
    }
}
