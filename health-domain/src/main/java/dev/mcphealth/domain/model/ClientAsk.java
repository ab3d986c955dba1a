package dev.mcphealth.domain.model;

/**
 * What a server may ask the client behind a call while the call is under way: a completion from its model
 * ({@code sampling/createMessage}), information from its user ({@code elicitation/create}) or the roots (directories,
 * files) the client exposes to it ({@code roots/list}).
 */
public enum ClientAsk {
    SAMPLING("sampling"),
    ELICITATION("elicitation"),
    ROOTS("roots");

    private final String capability;

    ClientAsk(String capability) {
        this.capability = capability;
    }

    /**
     * Whether answering it goes beyond the client program to a person (sampling's human in the loop, elicitation):
     * it may take as long as the person does, so a call whose client can be asked it waits up to the ceiling rather
     * than its tool's usual time, and it must never be asked twice. Roots are the client's to say at once.
     */
    public boolean asksAPerson() {
        return this != ROOTS;
    }

    /** The client capability that says a client can answer it. */
    public String capability() {
        return capability;
    }
}
