package dev.mcphealth.domain.model;

/** Small helpers for the messages that validation failures carry. */
final class Text {
    private Text() {
    }

    static String quote(String s) {
        return s == null ? "null" : '"' + s + '"';
    }

    static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
