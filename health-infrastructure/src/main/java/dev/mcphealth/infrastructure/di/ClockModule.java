package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import java.time.ZoneId;

/** The one place the real clock is read, and the time zone whose weeks usage is learned by. */
@Module
public final class ClockModule {
    private ClockModule() {
    }

    @Provides
    static Clock clock() {
        return Clock.systemUTC();
    }

    /** This machine's time zone: people's weeks are local (usage profiles learn its hours of the week). */
    @Provides
    static ZoneId zone() {
        return ZoneId.systemDefault();
    }
}
