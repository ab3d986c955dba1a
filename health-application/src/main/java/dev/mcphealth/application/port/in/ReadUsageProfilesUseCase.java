package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.learning.AnomalyWatch;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** What the usage profiles expect now, and the anomalies open against them (docs/learning.md). */
public interface ReadUsageProfilesUseCase {
    /** No profiles: for a program that learns none. */
    ReadUsageProfilesUseCase NONE = new ReadUsageProfilesUseCase() {
        @Override
        public List<ProfileNow> profiles(Set<ServerType> types) {
            return List.of();
        }

        @Override
        public Map<ServerType, UsageProfile> learnedTypes() {
            return Map.of();
        }
    };

    /**
     * The profiles of {@code types} (all when empty), the type's own first and then its tools by name: what each
     * expects of the hour under way, and its open anomalies.
     */
    List<ProfileNow> profiles(Set<ServerType> types);

    /**
     * The time of the learned week at {@code now}: {@code now} itself, unless the week is compressed
     * (health.learning.minuteSeconds), when each learned minute is shorter and the week runs faster.
     */
    default java.time.Instant weekTime(java.time.Instant now) {
        return now;
    }

    /**
     * A copy of each server type's own profile as learned now: what a report made while the monitor runs reads, the
     * store holding what was saved up to five minutes ago.
     */
    Map<ServerType, UsageProfile> learnedTypes();

    /** Each server type's demand growth as measured now ({@code DemandTrend}), for those that measured one yet. */
    default Map<ServerType, dev.mcphealth.domain.learning.DemandTrend.Growth> growth() {
        return Map.of();
    }

    /**
     * One profile ({@code tool} empty: the server type as a whole): the minutes it learned, what it expects of the
     * hour under way (the figures it has seen), and its anomalies open now.
     */
    record ProfileNow(ServerType serverType, String tool, double minutesLearned,
                      List<UsageProfile.Expectation> expected, List<AnomalyWatch.Raised> anomalies) {
        public ProfileNow {
            Objects.requireNonNull(serverType, "serverType");
            Objects.requireNonNull(tool, "tool");
            expected = List.copyOf(expected);
            anomalies = List.copyOf(anomalies);
        }
    }
}
