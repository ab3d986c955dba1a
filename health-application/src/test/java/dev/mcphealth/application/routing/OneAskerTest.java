package dev.mcphealth.application.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.AskClient;
import dev.mcphealth.domain.model.ClientAsk;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The two copies of a hedged call share its client: the first copy to ask it owns it; the other is refused. */
class OneAskerTest {
    /** Test double of a client: answers every request, and notes it. */
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final AskClient client = new AskClient() {
        @Override
        public String clientId() {
            return "session-1";
        }

        @Override
        public boolean can(ClientAsk kind) {
            return true;
        }

        @Override
        public String ask(ClientAsk kind, String paramsJson) {
            asked.add(paramsJson);
            return "{\"ok\":true}";
        }
    };

    @Test
    void theFirstCopyToAskOwnsTheClientStopsTheOtherAndTheOtherIsRefused() {
        OneAsker one = new OneAsker(Optional.of(client));
        List<String> stopped = new CopyOnWriteArrayList<>();
        AskClient first = one.lane(() -> stopped.add("hedge")).orElseThrow();
        AskClient hedge = one.lane(() -> stopped.add("first")).orElseThrow();

        assertEquals("{\"ok\":true}", hedge.ask(ClientAsk.SAMPLING, "{\"n\":1}"));
        assertEquals(List.of("first"), stopped, "the copy that asks stops the other, once");
        AskClient.Refused refused = assertThrows(AskClient.Refused.class,
                () -> first.ask(ClientAsk.ELICITATION, "{\"n\":2}"));
        assertEquals("{\"ok\":true}", hedge.ask(ClientAsk.ELICITATION, "{\"n\":3}"), "the owner asks again");

        assertEquals(List.of("{\"n\":1}", "{\"n\":3}"), asked, "the client was never asked by both");
        assertTrue(refused.getMessage().contains("another copy"), refused.getMessage());
        assertTrue(first.can(ClientAsk.SAMPLING), "what it can do is the client's");
        assertEquals(List.of("first"), stopped);
    }

    @Test
    void eitherCopyMayListTheClientsRootsWithoutStoppingTheOther() {
        OneAsker one = new OneAsker(Optional.of(client));
        List<String> stopped = new CopyOnWriteArrayList<>();
        AskClient first = one.lane(() -> stopped.add("hedge")).orElseThrow();
        AskClient hedge = one.lane(() -> stopped.add("first")).orElseThrow();

        assertEquals("{\"ok\":true}", first.ask(ClientAsk.ROOTS, "{}"));
        assertEquals("{\"ok\":true}", hedge.ask(ClientAsk.ROOTS, "{}"));
        assertEquals(List.of(), stopped, "a listing reaches no person: nobody is stopped");
        assertEquals("{\"ok\":true}", hedge.ask(ClientAsk.SAMPLING, "{}"), "a person's question still takes the client");
        assertEquals(List.of("first"), stopped);
        assertEquals("{\"ok\":true}", first.ask(ClientAsk.ROOTS, "{}"), "and the roots are still anyone's");
    }

    @Test
    void onlyAClientThatCanAskAPersonMakesItsCallsWait() {
        assertTrue(client.mayAskAPerson());
        AskClient rootsOnly = new AskClient() {
            @Override
            public String clientId() {
                return "session-2";
            }

            @Override
            public boolean can(ClientAsk kind) {
                return kind == ClientAsk.ROOTS;
            }

            @Override
            public String ask(ClientAsk kind, String paramsJson) {
                return "{}";
            }
        };
        org.junit.jupiter.api.Assertions.assertFalse(rootsOnly.mayAskAPerson(),
                "roots are the client's to say at once: its calls keep their tools' own timeouts");
    }

    @Test
    void aCallWithoutAClientHasNoneInEitherCopy() {
        assertEquals(Optional.empty(), new OneAsker(Optional.empty()).lane(() -> { }));
    }
}
