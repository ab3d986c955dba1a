package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.OpenEpisodesContract;
import dev.mcphealth.application.port.out.OpenEpisodesPort;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.MonitoredServer;
import java.time.Instant;

/** {@link InMemoryOpenEpisodes} held to the contract {@code JdbcOpenEpisodes} keeps. */
class InMemoryOpenEpisodesContractTest extends OpenEpisodesContract {
    private final InMemoryOpenEpisodes open = new InMemoryOpenEpisodes();

    @Override
    protected OpenEpisodesPort port() {
        return open;
    }

    @Override
    protected void recorded(Failure... failures) {
        open.recorded(failures);
    }

    @Override
    protected void saved(Alert... alerts) {
        open.saved(alerts);
    }

    @Override
    protected void probed(MonitoredServer server, Instant at) {
        open.probed(server.id(), at);
    }
}
