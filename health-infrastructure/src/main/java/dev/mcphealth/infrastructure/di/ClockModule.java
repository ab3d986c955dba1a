package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import java.time.Clock;

/** The one place the real clock is read. */
@Module
public final class ClockModule {
    private ClockModule() {
    }

    @Provides
    static Clock clock() {
        return Clock.systemUTC();
    }
}
