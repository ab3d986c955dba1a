package dev.mcphealth.domain.model;

/**
 * What a server may ask the client behind a call while the call is under way: a completion from its model
 * ({@code sampling/createMessage}) or information from its user ({@code elicitation/create}).
 */
public enum ClientAsk {
    SAMPLING("sampling"),
    ELICITATION("elicitation");

    private final String capability;

    ClientAsk(String capability) {
        this.capability = capability;
    }

    /** The client capability that says a client can answer it. */
    public String capability() {
        return capability;
    }
}
