package dev.mcphealth.adapter.cli;

/** Something the user gave cannot be used (bad configuration, unusable database): exit 3 with this one sentence. */
public final class UsageProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageProblem(String message, Throwable cause) {
        super(message, cause);
    }
}
