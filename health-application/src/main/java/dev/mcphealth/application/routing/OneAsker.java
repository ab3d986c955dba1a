package dev.mcphealth.application.routing;

import dev.mcphealth.domain.model.AskClient;
import dev.mcphealth.domain.model.ClientAsk;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client of a hedged call, asked by one copy only: the first copy whose server asks it something that reaches a
 * person (sampling, elicitation: {@link ClientAsk#asksAPerson}) owns it, and the other copy is stopped at once (its cancellation set: its server is told to cancel, so
 * it cannot win the race with an error about a refused request); any request of the other copy's is refused, so the
 * client's user is never asked twice. A listing of the client's roots is anyone's: either copy may ask it.
 */
final class OneAsker {
    /** What a copy that may not ask is answered: the JSON-RPC internal error code. */
    static final int REFUSED = -32603;

    private final Optional<AskClient> client;
    private final AtomicReference<Object> owner = new AtomicReference<>();

    OneAsker(Optional<AskClient> client) {
        this.client = client;
    }

    /**
     * One copy's view of the client (empty when the call has none); {@code stopOther} stops the other copy, run once
     * when this one takes the client.
     */
    Optional<AskClient> lane(Runnable stopOther) {
        if (client.isEmpty()) {
            return Optional.empty();
        }
        AskClient c = client.get();
        Object me = new Object();
        return Optional.of(new AskClient() {
            @Override
            public String clientId() {
                return c.clientId();
            }

            @Override
            public boolean can(ClientAsk kind) {
                return c.can(kind);
            }

            @Override
            public String ask(ClientAsk kind, String paramsJson) {
                if (!kind.asksAPerson()) {
                    return c.ask(kind, paramsJson); // nobody is asked twice, and neither copy needs to stop
                }
                if (owner.compareAndSet(null, me)) {
                    stopOther.run(); // the copy that asks is the call now: the other may not win with a refusal
                } else if (owner.get() != me) {
                    throw new Refused(REFUSED, "another copy of this hedged call is asking the client already");
                }
                return c.ask(kind, paramsJson);
            }
        });
    }
}
