package dev.mcphealth.infrastructure.config;

/** The configuration cannot be used. The message is one sentence: the file, the JSON path, what is wrong. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
