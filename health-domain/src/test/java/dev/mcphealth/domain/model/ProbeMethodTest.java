package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeMethodTest {

    @Test
    void nextGoesServerDiscoverThenPingThenToolsListThenNothing() {
        assertEquals(ProbeMethod.PING, ProbeMethod.SERVER_DISCOVER.next());
        assertEquals(ProbeMethod.TOOLS_LIST, ProbeMethod.PING.next());
        assertNull(ProbeMethod.TOOLS_LIST.next());
    }

    @Test
    void followingNextFromTheFirstVisitsEveryMethodOnce() {
        List<String> seen = new ArrayList<>();
        for (ProbeMethod m = ProbeMethod.values()[0]; m != null; m = m.next()) {
            seen.add(m.code());
        }
        assertEquals(List.of("server/discover", "ping", "tools/list"), seen);
    }
}
