package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CodedTest {

    @Test
    void parseFindsTheConstantByCode() {
        assertSame(FailureType.RATE_LIMIT, Coded.parse(FailureType.class, "rate_limit", "failure type"));
        assertSame(TransportKind.STREAMABLE_HTTP, TransportKind.fromCode("http"));
    }

    @Test
    void unknownCodeMessageListsTheLegalValuesInOrder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FailureType.fromCode("bogus"));
        assertEquals("failure type must be one of timeout, connection_error, authentication, rate_limit, server_error,"
                + " got \"bogus\"", e.getMessage());
        assertEquals("fallback strategy must be one of alternative_server, graceful_degradation, manual_mode, got null",
                assertThrows(IllegalArgumentException.class, () -> FallbackStrategy.fromCode(null)).getMessage());
    }

    @Test
    void parseIsCaseSensitive() {
        assertThrows(IllegalArgumentException.class, () -> HealthStatus.fromCode("HEALTHY"));
    }

    @Test
    void everyCodeParsesBackToItsConstant() {
        roundTrip(CheckDepth.values(), CheckDepth::fromCode);
        roundTrip(FailureType.values(), FailureType::fromCode);
        roundTrip(FallbackStrategy.values(), FallbackStrategy::fromCode);
        roundTrip(HealthStatus.values(), HealthStatus::fromCode);
        roundTrip(MetricType.values(), MetricType::fromCode);
        roundTrip(RecoveryAction.values(), RecoveryAction::fromCode);
        roundTrip(TransportKind.values(), TransportKind::fromCode);
    }

    @Test
    void codesAreTheSchemaSpellings() {
        assertEquals(List.of("server/discover", "ping", "tools/list"),
                List.of(ProbeMethod.values()).stream().map(ProbeMethod::code).toList());
        assertEquals(List.of("stdio", "http", "sse"),
                List.of(TransportKind.values()).stream().map(TransportKind::code).toList());
    }

    private static <E extends Coded> void roundTrip(E[] values, Function<String, E> parse) {
        for (E e : values) {
            assertSame(e, parse.apply(e.code()));
        }
    }
}
