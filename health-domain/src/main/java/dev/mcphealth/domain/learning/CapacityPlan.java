package dev.mcphealth.domain.learning;

import dev.mcphealth.domain.model.UsageFigure;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * How many instances a pool needs in each hour of the week: the Kubernetes HPA's formula, {@code desired =
 * ceil(demand / (capacity x target))}, with the demand at the {@link #PERCENTILE} of a minute's calls in that hour
 * (the pool's {@link UsageProfile}) and the capacity of an instance at the low end of its estimate
 * ({@link CapacityModel}): the margin is the estimate's own uncertainty plus the percentile's. Up to the HPA's
 * {@link #TOLERANCE} under the target the count stays as it is. Says when there is too little data to plan.
 */
public final class CapacityPlan {
    /** The utilization a pool is planned to stay under by default. */
    public static final double DEFAULT_TARGET = 0.7;
    /** The percentile of a minute's demand planned for. */
    public static final double PERCENTILE = 0.95;
    /** The normal quantile of {@link #PERCENTILE}. */
    static final double PERCENTILE_Z = 1.6449;
    /** Within this share of the target, the count stays as it is (the HPA's default). */
    public static final double TOLERANCE = 0.1;
    /**
     * Minutes a pool's profile needs before it is planned from: three hours. Hours of the week not seen yet lean on
     * the hour of the day or on all hours, and are marked {@link Hour#leaning}: a plan of a young profile says how
     * much of it is guessed.
     */
    public static final double LEAST_MINUTES = 180;

    private CapacityPlan() {
    }

    /**
     * One hour of the week: its learned demand (calls a second at the percentile), the demand planned for (the learned
     * one raised by the measured growth to the hour's next occurrence, when the growth is clear; else the same), the
     * instances that needs, and whether the profile still leans on the hour of the day for it (seen fewer than half an
     * hour of it).
     */
    public record Hour(HourOfWeek hour, double demandPerSecond, double forecastPerSecond, int instances,
                       boolean leaning) {
    }

    /** A plan, or why there is none. */
    public sealed interface Result permits Plan, TooLittle {
    }

    /** Too little seen to plan: {@code reason} says what is missing. */
    public record TooLittle(String reason) implements Result {
        public TooLittle {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The plan of a pool of {@code current} instances: the capacity per instance it used (calls a second), the target
     * utilization, the hour it was made in, the 168 hours, the most and fewest instances any hour needs, how many of the current ones no hour
     * needs ({@code removable}), the first hour from the one asked about that needs more than there are, and the
     * measured growth that raised each hour's demand (empty: the learned week as it is).
     */
    public record Plan(int current, double capacityPerInstance, double target, HourOfWeek now, List<Hour> hours,
                       int peak, int fewest, int removable, OptionalInt hoursUntilShort,
                       Optional<DemandTrend.Growth> raisedBy) implements Result {
        public Plan {
            Objects.requireNonNull(now, "now");
            Objects.requireNonNull(raisedBy, "raisedBy");
            hours = List.copyOf(hours);
            Objects.requireNonNull(hoursUntilShort, "hoursUntilShort");
        }

        public Hour at(HourOfWeek hour) {
            return hours.get(hour.index());
        }

        /**
         * How much the busiest hour's demand can grow before the instances there are now are short of it at the
         * target: 0.25 is 25 % more; negative when they are short already; empty with none running or no demand.
         */
        public OptionalDouble headroom() {
            double busiest = hours.stream().mapToDouble(Hour::demandPerSecond).max().orElse(0);
            if (current == 0 || !(busiest > 0)) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(current * capacityPerInstance * target / busiest - 1);
        }

        /**
         * The weeks until the instances there are now are short at the busiest hour if demand grows by
         * {@code weeklyGrowth} a week (0.1: 10 %), compounded: 0 when short already; empty without headroom or growth.
         */
        public OptionalDouble weeksUntilShort(double weeklyGrowth) {
            OptionalDouble room = headroom();
            if (room.isEmpty() || !(weeklyGrowth > 0)) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(Math.max(0, Math.log1p(room.getAsDouble()) / Math.log1p(weeklyGrowth)));
        }

        /** The first hour from {@code now} that needs more instances than there are. */
        public java.util.Optional<Hour> firstShort() {
            return hoursUntilShort.isEmpty() ? Optional.empty()
                    : java.util.Optional.of(hours.get((now.index() + hoursUntilShort.getAsInt()) % HourOfWeek.COUNT));
        }
    }

    /**
     * Plans a pool of {@code current} instances ({@code 0}: none running) whose demand is {@code demand}, from the hour
     * of the week {@code now}, to stay under {@code target} utilization.
     */
    public static Result plan(UsageProfile demand, CapacityModel.Estimate capacity, int current, double target,
                              HourOfWeek now) {
        return plan(demand, capacity, current, target, now, 60);
    }

    /**
     * As above, for a profile whose learned minutes are {@code secondsPerMinute} long (a minute; less when the
     * learned week is compressed): its calls a minute are calls per that many seconds.
     */
    public static Result plan(UsageProfile demand, CapacityModel.Estimate capacity, int current, double target,
                              HourOfWeek now, double secondsPerMinute) {
        return plan(demand, capacity, current, target, now, secondsPerMinute, Optional.empty());
    }

    /**
     * As above, each hour's demand raised by {@code growth} (the pool's measured demand trend) when it is clear and
     * rising: by how far the pool is above its learned week now, compounded with the weekly growth until the hour comes
     * round ({@link #raise}). Never lowered by it: instances that could go are said from the demand seen, not from a
     * forecast that it will fall (a wrong fall starves a pool; a wrong rise costs an instance).
     */
    public static Result plan(UsageProfile demand, CapacityModel.Estimate capacity, int current, double target,
                              HourOfWeek now, double secondsPerMinute, Optional<DemandTrend.Growth> growth) {
        Objects.requireNonNull(growth, "growth");
        Optional<DemandTrend.Growth> raising = growth.filter(g -> g.clear() && g.weekly() > 0);
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("the target utilization is over 0 and at most 1, got " + target);
        }
        if (current < 0) {
            throw new IllegalArgumentException("instances cannot be negative: " + current);
        }
        if (capacity.capacity().isEmpty()) {
            return new TooLittle("an instance's capacity is not known yet: " + capacity.unknown().orElseThrow());
        }
        if (demand.minutes() < LEAST_MINUTES) {
            return new TooLittle("the pool's usage was learned for " + Math.round(demand.minutes()) + " minutes; "
                    + Math.round(LEAST_MINUTES) + " are needed");
        }
        double perInstance = capacity.low().orElse(capacity.capacity().getAsDouble());
        if (!(perInstance > 0) || !Double.isFinite(perInstance)) {
            return new TooLittle("an instance's capacity is not a usable number (" + perInstance + ")");
        }
        List<Hour> hours = new ArrayList<>(HourOfWeek.COUNT);
        int peak = 0;
        int fewest = Integer.MAX_VALUE;
        for (int h = 0; h < HourOfWeek.COUNT; h++) {
            HourOfWeek hour = new HourOfWeek(h);
            UsageProfile.Norm n = demand.norm(hour, UsageFigure.RATE).orElseThrow(); // a day seen: every hour leans
            double perSecond = LearningScale.rateOf(n.level() + PERCENTILE_Z * n.sigma()) / secondsPerMinute;
            int ahead = Math.floorMod(h - now.index(), HourOfWeek.COUNT);
            double forecast = raising.map(g -> perSecond * raise(g, ahead)).orElse(perSecond);
            int need = instances(forecast, perInstance, target, current);
            hours.add(new Hour(hour, perSecond, forecast, need, n.minutes() < UsageProfile.READY_MINUTES));
            peak = Math.max(peak, need);
            fewest = Math.min(fewest, need);
        }
        OptionalInt until = OptionalInt.empty();
        for (int ahead = 0; ahead < HourOfWeek.COUNT; ahead++) {
            if (hours.get((now.index() + ahead) % HourOfWeek.COUNT).instances() > current) {
                until = OptionalInt.of(ahead);
                break;
            }
        }
        return new Plan(current, perInstance, target, now, hours, peak, fewest, Math.max(0, current - peak), until,
                raising);
    }

    /**
     * How much {@code growth} raises the demand of the hour {@code ahead} hours from the one under way: the level above
     * the learned week now, times the weekly growth until the hour's end; at least 1.
     */
    static double raise(DemandTrend.Growth growth, int ahead) {
        double above = 1 + Math.max(0, growth.aboveLearned().orElse(0));
        return Math.max(1, above * Math.pow(1 + growth.high(), (ahead + 1) / (double) HourOfWeek.COUNT));
    }

    /**
     * The HPA's count for {@code demand} calls a second: {@code ceil(demand / (capacity x target))}, at least one;
     * {@code current} when its utilization is up to {@link #TOLERANCE} under the target. Unlike the HPA, never over it:
     * its tolerance either way would plan hours 10 % above the target.
     */
    static int instances(double demand, double capacity, double target, int current) {
        if (current > 0) {
            double ratio = demand / (current * capacity * target);
            if (ratio <= 1 && ratio >= 1 - TOLERANCE) {
                return current;
            }
        }
        return Math.max(1, (int) Math.ceil(demand / (capacity * target)));
    }
}
