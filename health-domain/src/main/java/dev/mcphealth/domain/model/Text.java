package dev.mcphealth.domain.model;

/** Small helpers for the messages that validation failures carry. */
public final class Text {
    private Text() {
    }

    /**
     * In double quotes, with control and bidirectional formatting characters escaped, cut when long
     * ({@link Printable#quote}).
     */
    static String quote(String s) {
        return Printable.quote(s);
    }

    public static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
