package dev.mcphealth.adapter.mcp;

/** A tool call whose arguments do not fit the tool's schema; the message names the argument and what was wrong. */
final class BadArgumentException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadArgumentException(String argument, String problem) {
        super("argument '" + argument + "' " + problem);
    }

    BadArgumentException(String message) {
        super(message);
    }
}
