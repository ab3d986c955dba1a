package dev.mcphealth.infrastructure.di;

import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;

/**
 * The {@link dev.mcphealth.application.port.out.MonitorEventPort} the composition root hands in: where events go
 * outside (the watch's output, health.alerts' file and webhook, an embedder's listener). The services publish to the
 * unqualified port, which passes every event on to this one ({@link OutboxModule#events}).
 */
@Qualifier
@Documented
@Retention(RUNTIME)
public @interface EventListeners {
}
