package dev.mcphealth.infrastructure.events;

/** A sink cannot be set up (an event file that cannot be opened for appending). The message is safe to show. */
public class EventSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EventSinkException(String message) {
        super(message);
    }
}
