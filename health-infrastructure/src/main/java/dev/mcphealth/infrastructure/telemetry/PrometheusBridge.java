package dev.mcphealth.infrastructure.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The monitor's Prometheus registry as OpenTelemetry metrics, read at each export: the same metrics {@code /metrics}
 * serves, with the same names (a counter without its {@code _total}, as OpenTelemetry names sums), labels as
 * attributes, counters as cumulative monotonic sums, gauges as gauges, classic histograms as explicit-bucket
 * histograms, an info metric as a gauge of 1. (The Prometheus client's own OpenTelemetry exporter, which does this, is
 * not served here; docs/metrics.md.)
 */
final class PrometheusBridge implements MetricProducer {
    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create(Telemetry.SCOPE);

    private final java.util.function.Supplier<MetricSnapshots> metrics;
    private final Clock clock;
    /** When the sums and histograms began: this bridge's start (the registry's are as old). */
    private final long startNanos;

    /** {@code metrics}: every metric now (the status board read for its gauges, as a scrape reads it). */
    PrometheusBridge(java.util.function.Supplier<MetricSnapshots> metrics, Clock clock) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startNanos = nanos();
    }

    private long nanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public Collection<MetricData> produce(Resource resource) {
        long now = nanos();
        List<MetricData> out = new ArrayList<>();
        for (MetricSnapshot s : metrics.get()) {
            String name = s.getMetadata().getName();
            String help = Objects.requireNonNullElse(s.getMetadata().getHelp(), "");
            String unit = s.getMetadata().hasUnit() ? s.getMetadata().getUnit().toString() : "";
            if (s instanceof CounterSnapshot c) {
                List<DoublePointData> points = c.getDataPoints().stream().map(p -> DoublePointData.create(startNanos,
                        now, attributes(p.getLabels()), p.getValue(), List.of())).toList();
                out.add(new Metric(resource, name, help, unit, MetricDataType.DOUBLE_SUM,
                        SumData.createDoubleSumData(true, AggregationTemporality.CUMULATIVE, points)));
            } else if (s instanceof GaugeSnapshot g) {
                List<DoublePointData> points = g.getDataPoints().stream().map(p -> DoublePointData.create(startNanos,
                        now, attributes(p.getLabels()), p.getValue(), List.of())).toList();
                out.add(new Metric(resource, name, help, unit, MetricDataType.DOUBLE_GAUGE,
                        GaugeData.createDoubleGaugeData(points)));
            } else if (s instanceof InfoSnapshot i) {
                name = name.endsWith("_info") ? name : name + "_info"; // the client keeps it without the suffix
                List<DoublePointData> points = i.getDataPoints().stream().map(p -> DoublePointData.create(startNanos,
                        now, attributes(p.getLabels()), 1, List.of())).toList();
                out.add(new Metric(resource, name, help, unit, MetricDataType.DOUBLE_GAUGE,
                        GaugeData.createDoubleGaugeData(points)));
            } else if (s instanceof HistogramSnapshot h) {
                List<HistogramPointData> points = new ArrayList<>();
                for (HistogramSnapshot.HistogramDataPointSnapshot p : h.getDataPoints()) {
                    if (p.hasClassicHistogramData()) {
                        points.add(histogram(p, now));
                    }
                }
                out.add(new Metric(resource, name, help, unit, MetricDataType.HISTOGRAM,
                        HistogramData.create(AggregationTemporality.CUMULATIVE, points)));
            }
            // no other kind is registered (docs/metrics.md lists them)
        }
        return out;
    }

    /** A classic histogram's point: its finite bounds, and each bucket's own count (the +Inf bucket last). */
    private HistogramPointData histogram(HistogramSnapshot.HistogramDataPointSnapshot p, long now) {
        ClassicHistogramBuckets buckets = p.getClassicBuckets();
        List<Double> bounds = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            if (!Double.isInfinite(buckets.getUpperBound(i))) {
                bounds.add(buckets.getUpperBound(i));
            }
            counts.add(buckets.getCount(i));
        }
        return HistogramPointData.create(startNanos, now, attributes(p.getLabels()), p.hasSum() ? p.getSum() : 0,
                false, 0, false, 0, bounds, counts);
    }

    private static Attributes attributes(Labels labels) {
        AttributesBuilder b = Attributes.builder();
        for (int i = 0; i < labels.size(); i++) {
            b.put(labels.getName(i), labels.getValue(i));
        }
        return b.build();
    }

    /** One metric as the SDK's exporters read it. */
    private record Metric(Resource resource, String name, String description, String unit, MetricDataType type,
                          Data<?> data) implements MetricData {
        @Override
        public Resource getResource() {
            return resource;
        }

        @Override
        public InstrumentationScopeInfo getInstrumentationScopeInfo() {
            return SCOPE;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public String getUnit() {
            return unit;
        }

        @Override
        public MetricDataType getType() {
            return type;
        }

        @Override
        public Data<?> getData() {
            return data;
        }
    }
}
