package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.ReportUsageUseCase;
import dev.mcphealth.domain.learning.CapacityModel;
import dev.mcphealth.domain.learning.CapacityPlan;
import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.LimitAdvice;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The instance recommendation of optimization_report and orchestrator_performance_optimizer, with its evidence. */
class CapacityViewsTest {
    private static final CapacityModel.Estimate TEN = new CapacityModel.Estimate(300, 3, 8, Optional.of(
            new CapacityModel.Queue(1, 0.1)), OptionalDouble.of(10), OptionalDouble.of(10), OptionalDouble.of(11),
            Optional.empty());

    /** A pool of {@code instances} whose profile saw three hours of {@code perMinute} calls a minute. */
    private static ReportUsageUseCase.PoolUsage pool(int instances, double perMinute) {
        UsageProfile p = new UsageProfile();
        for (int i = 0; i < 180; i++) {
            p.observe(Instant.parse("2026-11-30T00:00:00Z").plus(Duration.ofMinutes(i)), ZoneOffset.UTC,
                    new UsageProfile.Minute(perMinute, 0, OptionalDouble.of(100), OptionalDouble.of(200)));
        }
        return new ReportUsageUseCase.PoolUsage(ServerType.of("search"), instances, p.minutes(), List.of(), List.of(),
                List.of(), TEN, CapacityPlan.plan(p, TEN, instances, 0.7, new HourOfWeek(1)));
    }

    @Test
    void eachRecommendationSaysWhatToDoAndWhy() {
        // 20 calls a second, 21 at the 95th percentile: 3 instances of 10 at 70 %
        assertEquals("search: run 3 instances now where 1 run, 3 at the busiest hour; an instance serves 10.0 calls/s"
                + " (queue, from 300 busy minutes at 3 load levels), the busiest hour's 95th-percentile demand 21.0"
                + " calls/s, target 70 %", CapacityViews.line(pool(1, 1_200)));
        assertTrue(CapacityViews.line(pool(9, 120)).startsWith("search: 8 of the 9 instances could go (no hour"
                + " needs more than 1)"), CapacityViews.line(pool(9, 120)));
        assertTrue(CapacityViews.line(pool(1, 120)).startsWith("search: 1 instances are right"),
                CapacityViews.line(pool(1, 120)));
        assertEquals("search: no instance recommendation yet (an instance's capacity is not known yet: seen at 0"
                + " load level(s) of 5 minutes; 3 needed)", CapacityViews.line(new ReportUsageUseCase.PoolUsage(
                ServerType.of("search"), 2, 0, List.of(), List.of(), List.of(), CapacityModel.estimate(List.of()),
                CapacityPlan.plan(new UsageProfile(), CapacityModel.estimate(List.of()), 2, 0.7,
                        new HourOfWeek(0)))));
    }

    @Test
    void aLimitThatLetsFarMoreCallsInThanAnInstanceServesBestIsSaid() {
        ReportUsageUseCase.PoolUsage p = pool(1, 1_200);
        ReportUsageUseCase.PoolUsage advised = new ReportUsageUseCase.PoolUsage(p.type(), p.instances(),
                p.minutesLearned(), p.now(), p.tools(), p.anomalies(), p.capacity(), p.plan(),
                LimitAdvice.of(TEN, new LimitAdvice.Range(20, 200)));
        assertTrue(CapacityViews.line(advised).endsWith("target 70 %; concurrency: set health.concurrencyLimit to"
                + " min 1, initial 1, max 2 (an instance serves the most with about 1.0 calls in flight (a queue of 1"
                + " workers): past that its calls wait inside it, none more served; the limiter lets 20..200 in)"),
                CapacityViews.line(advised));
        ReportUsageUseCase.PoolUsage fits = new ReportUsageUseCase.PoolUsage(p.type(), p.instances(),
                p.minutesLearned(), p.now(), p.tools(), p.anomalies(), p.capacity(), p.plan(),
                LimitAdvice.of(TEN, new LimitAdvice.Range(1, 2)));
        assertEquals(CapacityViews.line(p), CapacityViews.line(fits), "a limit that fits is not mentioned");
    }
}
