package dev.mcphealth.infrastructure.probe;

/** A request its caller cancelled while it was under way ({@link Connection#request} with a cancellation). */
final class RequestCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RequestCancelledException() {
        super("the request was cancelled by its caller", null, false, false);
    }
}
