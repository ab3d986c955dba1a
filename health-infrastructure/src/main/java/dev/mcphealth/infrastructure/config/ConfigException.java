package dev.mcphealth.infrastructure.config;

import dev.mcphealth.domain.model.Printable;

/**
 * The configuration cannot be used. The message is one sentence: the file, the JSON path, what is wrong. Whatever of
 * the file it quotes (a name, a path, a value) has its control and bidirectional formatting characters escaped
 * ({@link Printable}), so the message is one line that shows on a terminal as it is.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(Printable.escape(message));
    }
}
