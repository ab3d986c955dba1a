package dev.mcphealth.application.routing;

import dev.mcphealth.domain.model.AskClient;
import dev.mcphealth.domain.model.ClientAsk;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client of a hedged call, asked by one copy only: the first copy whose server asks it something (sampling,
 * elicitation) owns it; the other copy's requests are refused, so the client (or its user) is never asked twice. The
 * refused copy's tool then fails, and the race goes to the copy that asked.
 */
final class OneAsker {
    /** What a copy that may not ask is answered: the JSON-RPC internal error code. */
    static final int REFUSED = -32603;

    private final Optional<AskClient> client;
    private final AtomicReference<Object> owner = new AtomicReference<>();

    OneAsker(Optional<AskClient> client) {
        this.client = client;
    }

    /** One copy's view of the client (empty when the call has none). */
    Optional<AskClient> lane() {
        if (client.isEmpty()) {
            return Optional.empty();
        }
        AskClient c = client.get();
        Object me = new Object();
        return Optional.of(new AskClient() {
            @Override
            public boolean can(ClientAsk kind) {
                return c.can(kind);
            }

            @Override
            public String ask(ClientAsk kind, String paramsJson) {
                if (!owner.compareAndSet(null, me) && owner.get() != me) {
                    throw new Refused(REFUSED, "another copy of this hedged call is asking the client already");
                }
                return c.ask(kind, paramsJson);
            }
        });
    }
}
