package dev.mcphealth.architecture;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.mcphealth.architecture.fixtures.adapters.adapter.cli.CliCommandUsingMcpTool;
import dev.mcphealth.architecture.fixtures.adapters.adapter.mcp.McpTool;
import dev.mcphealth.architecture.fixtures.adapters.adapter.cli.CommandWithMixin;
import dev.mcphealth.architecture.fixtures.adapters.adapter.cli.CommandWithOwnConfigFlag;
import dev.mcphealth.architecture.fixtures.adapters.adapter.cli.CommandWithOwnDbFlag;
import dev.mcphealth.architecture.fixtures.adapters.adapter.cli.DatabaseOption;
import dev.mcphealth.architecture.fixtures.cycle.a.Alpha;
import dev.mcphealth.architecture.fixtures.cycle.b.Beta;
import dev.mcphealth.architecture.fixtures.dagger.di.GoodComponent;
import dev.mcphealth.architecture.fixtures.dagger.di.GoodModule;
import dev.mcphealth.architecture.fixtures.dagger.service.ComponentOutsideDi;
import dev.mcphealth.architecture.fixtures.dagger.service.ModuleOutsideDi;
import dev.mcphealth.architecture.fixtures.dagger.service.PlainService;
import dev.mcphealth.architecture.fixtures.dagger.service.ProvidesOutsideDi;
import dev.mcphealth.architecture.fixtures.features.application.monitoring.FourWayService;
import dev.mcphealth.architecture.fixtures.features.application.monitoring.ReportService;
import dev.mcphealth.architecture.fixtures.features.application.monitoring.ThreeWayService;
import dev.mcphealth.architecture.fixtures.features.application.monitoring.ViewsFromWatch;
import dev.mcphealth.architecture.fixtures.features.application.monitoring.WatchHelper;
import dev.mcphealth.architecture.fixtures.features.application.monitoring.WatchService;
import dev.mcphealth.architecture.fixtures.features.application.routing.RouteService;
import dev.mcphealth.architecture.fixtures.features.application.routing.Views;
import dev.mcphealth.architecture.fixtures.features.application.service.LeftBehindService;
import dev.mcphealth.architecture.fixtures.features.domain.helpers.LooseHelper;
import dev.mcphealth.architecture.fixtures.features.infrastructure.di.WatchModule;
import dev.mcphealth.architecture.fixtures.injection.ConstructorInjected;
import dev.mcphealth.architecture.fixtures.injection.JakartaFieldInjected;
import dev.mcphealth.architecture.fixtures.injection.JavaxFieldInjected;
import dev.mcphealth.architecture.fixtures.layering.adapter.web.ControllerUsingService;
import dev.mcphealth.architecture.fixtures.layering.adapter.web.ControllerUsingStore;
import dev.mcphealth.architecture.fixtures.layering.adapter.web.ThingController;
import dev.mcphealth.architecture.fixtures.layering.adapter.web.di.WebMain;
import dev.mcphealth.architecture.fixtures.layering.application.port.in.DoThingUseCase;
import dev.mcphealth.architecture.fixtures.layering.application.port.out.ThingStorePort;
import dev.mcphealth.architecture.fixtures.layering.application.service.DoThingService;
import dev.mcphealth.architecture.fixtures.layering.domain.model.Thing;
import dev.mcphealth.architecture.fixtures.layering.domain.model.ThingThatSavesItself;
import dev.mcphealth.architecture.fixtures.layering.infrastructure.di.ThingModule;
import dev.mcphealth.architecture.fixtures.layering.infrastructure.store.InMemoryThingStore;
import dev.mcphealth.architecture.fixtures.layering.infrastructure.store.StoreUsingWiring;
import dev.mcphealth.architecture.fixtures.layering.support.Helper;
import dev.mcphealth.architecture.fixtures.logging.UsesJul;
import dev.mcphealth.architecture.fixtures.ports.application.port.in.CheckThingUseCase;
import dev.mcphealth.architecture.fixtures.ports.application.port.in.ExposeStoreUseCase;
import dev.mcphealth.architecture.fixtures.ports.application.port.in.ThingChecker;
import dev.mcphealth.architecture.fixtures.ports.application.port.in.ThingReport;
import dev.mcphealth.architecture.fixtures.ports.application.port.in.UnknownThingException;
import dev.mcphealth.architecture.fixtures.ports.application.port.out.ReportingPort;
import dev.mcphealth.architecture.fixtures.ports.application.port.out.StoreUnavailableException;
import dev.mcphealth.architecture.fixtures.ports.application.port.out.ThingStore;
import dev.mcphealth.architecture.fixtures.ports.application.port.out.UnknownThingTranslatingPort;
import dev.mcphealth.architecture.fixtures.ports.application.service.CheckThingHandler;
import dev.mcphealth.architecture.fixtures.ports.application.service.CheckThingService;
import dev.mcphealth.architecture.fixtures.purity.application.port.out.PortReturningMcpSchema;
import dev.mcphealth.architecture.fixtures.purity.application.service.ServiceUsingDagger;
import dev.mcphealth.architecture.fixtures.purity.application.service.ServiceWithInject;
import dev.mcphealth.architecture.fixtures.purity.application.service.ServiceWithLogger;
import dev.mcphealth.architecture.fixtures.purity.domain.model.PureValue;
import dev.mcphealth.architecture.fixtures.purity.domain.model.ValueFromResultSet;
import dev.mcphealth.architecture.fixtures.purity.domain.model.ValueWithJsonNode;
import dev.mcphealth.architecture.fixtures.purity.domain.prediction.PurePolicy;
import dev.mcphealth.architecture.fixtures.shapes.domain.model.AbstractValue;
import dev.mcphealth.architecture.fixtures.shapes.domain.model.Kind;
import dev.mcphealth.architecture.fixtures.shapes.domain.model.MutableValue;
import dev.mcphealth.architecture.fixtures.shapes.domain.model.Outcome;
import dev.mcphealth.architecture.fixtures.shapes.domain.model.ValueRecord;
import dev.mcphealth.architecture.fixtures.shapes.domain.model.Values;
import dev.mcphealth.architecture.fixtures.time.di.ClockWiring;
import dev.mcphealth.architecture.fixtures.time.infrastructure.scheduler.SchedulerLoop;
import dev.mcphealth.architecture.fixtures.time.service.InjectedClockUser;
import dev.mcphealth.architecture.fixtures.time.service.TimeViolations;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rule of {@link ArchitectureRules} must be able to fail. Each test imports only a few fixture classes from
 * {@code dev.mcphealth.architecture.fixtures} (never the production code) and expects the rule to report the offending
 * class by name, so a rule that fails for another reason (nothing imported, an empty layer) does not count. Where it
 * helps to show a rule is not simply always failing, a legal set of fixtures is checked to pass.
 */
class ArchitectureRulesFailOnViolationTest {

    private static JavaClasses importOnly(Class<?>... classes) {
        return new ClassFileImporter().importClasses(classes);
    }

    private static void assertViolation(ArchRule rule, Class<?> offender, Class<?>... context) {
        Class<?>[] all = Stream.concat(Stream.of(offender), Arrays.stream(context)).toArray(Class<?>[]::new);
        JavaClasses classes = importOnly(all);
        AssertionError failure = assertThrows(AssertionError.class, () -> rule.check(classes),
                () -> "expected " + offender.getName() + " to violate: " + rule.getDescription());
        assertTrue(failure.getMessage().contains(offender.getName()),
                () -> "the failure should name " + offender.getName() + ", but was:\n" + failure.getMessage());
    }

    private static void assertPasses(ArchRule rule, Class<?>... legal) {
        rule.check(importOnly(legal));
    }

    @Nested
    class Layering {
        private final Class<?>[] legalTree = {
            Thing.class, DoThingUseCase.class, ThingStorePort.class, DoThingService.class,
            InMemoryThingStore.class, ThingModule.class, ThingController.class, WebMain.class};

        @Test
        void a_legal_onion_passes() {
            assertPasses(ArchitectureRules.LAYERED_ARCHITECTURE, legalTree);
            assertPasses(ArchitectureRules.ADAPTERS_DO_NOT_DEPEND_ON_INFRASTRUCTURE, legalTree);
        }

        /**
         * Domain reaching a port, an adapter reaching infrastructure, an adapter using a service class,
         * infrastructure reaching back into the wiring, and a class in no layer.
         */
        @ParameterizedTest
        @ValueSource(classes = {ThingThatSavesItself.class, ControllerUsingStore.class, ControllerUsingService.class,
                StoreUsingWiring.class, Helper.class})
        void layering_fails(Class<?> offender) {
            assertViolation(ArchitectureRules.LAYERED_ARCHITECTURE, offender, legalTree);
        }

        @Test
        void adapter_using_infrastructure_fails() {
            assertViolation(ArchitectureRules.ADAPTERS_DO_NOT_DEPEND_ON_INFRASTRUCTURE, ControllerUsingStore.class,
                    InMemoryThingStore.class);
        }
    }

    @Nested
    class PureCore {
        @Test
        void jdk_only_domain_passes() {
            assertPasses(ArchitectureRules.DOMAIN_DEPENDS_ONLY_ON_JDK, PureValue.class, PurePolicy.class);
            assertPasses(ArchitectureRules.CORE_IS_FREE_OF_FRAMEWORKS, PureValue.class, PurePolicy.class);
        }

        @ParameterizedTest
        @ValueSource(classes = {ValueWithJsonNode.class, ThingThatSavesItself.class})
        void domain_depending_on_a_library_or_an_outer_layer_fails(Class<?> offender) {
            assertViolation(ArchitectureRules.DOMAIN_DEPENDS_ONLY_ON_JDK, offender);
        }

        @ParameterizedTest
        @ValueSource(classes = {ValueWithJsonNode.class, ValueFromResultSet.class, ServiceWithInject.class,
                ServiceWithLogger.class, PortReturningMcpSchema.class, ServiceUsingDagger.class})
        void framework_in_domain_or_application_fails(Class<?> offender) {
            assertViolation(ArchitectureRules.CORE_IS_FREE_OF_FRAMEWORKS, offender);
        }
    }

    @Nested
    class Time {
        @Test
        void injected_clock_wiring_and_scheduler_pass() {
            assertPasses(ArchitectureRules.NO_SYSTEM_CLOCK_OR_SLEEP_OUTSIDE_WIRING,
                    InjectedClockUser.class, ClockWiring.class, SchedulerLoop.class);
        }

        @ParameterizedTest
        @ValueSource(classes = {TimeViolations.CallsInstantNow.class, TimeViolations.CallsCurrentTimeMillis.class,
                TimeViolations.CallsNanoTime.class, TimeViolations.CallsClockSystemUtc.class,
                TimeViolations.CallsClockSystemDefaultZone.class, TimeViolations.CallsLocalDateTimeNow.class,
                TimeViolations.CallsThreadSleep.class, TimeViolations.CallsTimeUnitSleep.class,
                TimeViolations.ReferencesNanoTime.class, TimeViolations.ReferencesInstantNow.class})
        void system_clock_or_sleep_outside_di_fails(Class<?> offender) {
            assertViolation(ArchitectureRules.NO_SYSTEM_CLOCK_OR_SLEEP_OUTSIDE_WIRING, offender);
        }
    }

    @Nested
    class OrchestratorAnswers {
        @Test
        void reading_the_typed_answer_passes() {
            assertPasses(ArchitectureRules.THE_CORE_NEVER_READS_AN_ORCHESTRATOR_ANSWERS_JSON,
                    dev.mcphealth.architecture.fixtures.answers.application.orchestrator.ReadsTheTypedAnswer.class);
        }

        @ParameterizedTest
        @ValueSource(classes = {
            dev.mcphealth.architecture.fixtures.answers.application.orchestrator.ReadsTheTaskIdFromJson.class,
            dev.mcphealth.architecture.fixtures.answers.application.orchestrator.ReferencesTheJson.class})
        void reading_an_answers_json_in_the_core_fails(Class<?> offender) {
            assertViolation(ArchitectureRules.THE_CORE_NEVER_READS_AN_ORCHESTRATOR_ANSWERS_JSON, offender);
        }
    }

    @Nested
    class Ports {
        private final Class<?>[] legalPorts = {
            CheckThingUseCase.class, CheckThingUseCase.Query.class, CheckThingUseCase.Listener.class,
            ThingReport.class, UnknownThingException.class,
            dev.mcphealth.architecture.fixtures.ports.application.port.out.ThingStorePort.class,
            dev.mcphealth.architecture.fixtures.ports.application.port.out.ThingRequest.class,
            dev.mcphealth.architecture.fixtures.ports.application.port.out.ThingRequest.Check.class,
            StoreUnavailableException.class, CheckThingService.class};

        @Test
        void well_named_independent_ports_pass() {
            assertPasses(ArchitectureRules.INCOMING_PORTS_ARE_NAMED_USE_CASE, legalPorts);
            assertPasses(ArchitectureRules.OUTGOING_PORTS_ARE_NAMED_PORT, legalPorts);
            assertPasses(ArchitectureRules.INCOMING_AND_OUTGOING_PORTS_ARE_INDEPENDENT, legalPorts);
            assertPasses(ArchitectureRules.USE_CASE_IMPLEMENTATIONS_ARE_NAMED_SERVICE, legalPorts);
        }

        @Test
        void incoming_port_without_use_case_suffix_fails() {
            assertViolation(ArchitectureRules.INCOMING_PORTS_ARE_NAMED_USE_CASE, ThingChecker.class, legalPorts);
        }

        @Test
        void outgoing_port_without_port_suffix_fails() {
            assertViolation(ArchitectureRules.OUTGOING_PORTS_ARE_NAMED_PORT, ThingStore.class, legalPorts);
        }

        @ParameterizedTest
        @ValueSource(classes = {ExposeStoreUseCase.class, ReportingPort.class, UnknownThingTranslatingPort.class})
        void ports_referencing_each_other_fail(Class<?> offender) {
            assertViolation(ArchitectureRules.INCOMING_AND_OUTGOING_PORTS_ARE_INDEPENDENT, offender, legalPorts);
        }

        @Test
        void use_case_implementation_without_service_suffix_fails() {
            assertViolation(ArchitectureRules.USE_CASE_IMPLEMENTATIONS_ARE_NAMED_SERVICE, CheckThingHandler.class,
                    legalPorts);
        }
    }

    @Nested
    class Features {
        private final Class<?>[] legalFeature = {WatchService.class, WatchModule.class};

        @Test
        void a_feature_showing_only_what_others_use_passes() {
            Class<?>[] withInternal = Stream.concat(Arrays.stream(legalFeature),
                    Stream.of(classByName(WatchService.class.getPackageName() + ".WatchWindow"))).toArray(Class<?>[]::new);
            assertPasses(ArchitectureRules.APPLICATION_CODE_LIVES_IN_A_FEATURE, withInternal);
            assertPasses(ArchitectureRules.FEATURE_INTERNALS_ARE_PACKAGE_PRIVATE, withInternal);
        }

        @Test
        void application_code_outside_a_named_feature_fails() {
            assertViolation(ArchitectureRules.APPLICATION_CODE_LIVES_IN_A_FEATURE, LeftBehindService.class,
                    legalFeature);
        }

        @Test
        void domain_code_outside_model_or_a_feature_fails() {
            assertPasses(ArchitectureRules.DOMAIN_CODE_LIVES_IN_A_FEATURE, PureValue.class, PurePolicy.class);
            assertViolation(ArchitectureRules.DOMAIN_CODE_LIVES_IN_A_FEATURE, LooseHelper.class, PureValue.class);
        }

        @Test
        void a_public_internal_of_a_feature_fails() {
            assertViolation(ArchitectureRules.FEATURE_INTERNALS_ARE_PACKAGE_PRIVATE, WatchHelper.class, legalFeature);
        }

        @Test
        void services_meeting_at_interfaces_pass() {
            assertPasses(ArchitectureRules.NO_SERVICE_DEPENDS_ON_A_CONCRETE_SERVICE, WatchService.class,
                    ViewsFromWatch.class, Views.class);
            assertPasses(ArchitectureRules.FEATURES_MEET_AT_INTERFACES_AND_VALUES, WatchService.class,
                    ViewsFromWatch.class, Views.class);
        }

        @ParameterizedTest
        @ValueSource(classes = {RouteService.class, ReportService.class})
        void a_service_taking_a_concrete_service_fails(Class<?> offender) {
            assertViolation(ArchitectureRules.NO_SERVICE_DEPENDS_ON_A_CONCRETE_SERVICE, offender, WatchService.class);
        }

        @Test
        void a_feature_using_another_features_class_fails() {
            assertViolation(ArchitectureRules.FEATURES_MEET_AT_INTERFACES_AND_VALUES, RouteService.class,
                    WatchService.class);
        }

        @Test
        void a_service_of_three_use_cases_passes_and_one_of_four_fails() {
            assertPasses(ArchitectureRules.A_SERVICE_IMPLEMENTS_AT_MOST_THREE_USE_CASES, ThreeWayService.class);
            assertViolation(ArchitectureRules.A_SERVICE_IMPLEMENTS_AT_MOST_THREE_USE_CASES, FourWayService.class);
        }

        private Class<?> classByName(String name) {
            try {
                return Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new AssertionError(name, e);
            }
        }
    }

    @Nested
    class IndependenceAndHygiene {
        @Test
        void adapter_using_another_adapter_fails() {
            assertViolation(ArchitectureRules.ADAPTERS_ARE_INDEPENDENT, CliCommandUsingMcpTool.class, McpTool.class);
        }

        @Test
        void an_adapter_serving_the_web_pages_passes_and_the_pages_using_an_adapter_fail() {
            assertPasses(ArchitectureRules.ADAPTERS_ARE_INDEPENDENT,
                    dev.mcphealth.architecture.fixtures.adapters.adapter.cli.CliCommandServingPages.class,
                    dev.mcphealth.architecture.fixtures.adapters.adapter.web.Page.class);
            assertViolation(ArchitectureRules.ADAPTERS_ARE_INDEPENDENT,
                    dev.mcphealth.architecture.fixtures.adapters.adapter.web.PageUsingMcpTool.class, McpTool.class);
        }

        @Test
        void the_web_pages_speaking_mcp_fail() {
            assertPasses(ArchitectureRules.THE_WEB_ADAPTER_SPEAKS_NEITHER_MCP_NOR_CLI,
                    dev.mcphealth.architecture.fixtures.adapters.adapter.web.Page.class);
            assertViolation(ArchitectureRules.THE_WEB_ADAPTER_SPEAKS_NEITHER_MCP_NOR_CLI,
                    dev.mcphealth.architecture.fixtures.adapters.adapter.web.PageUsingTheMcpSdk.class);
        }

        @Test
        void package_cycle_fails() {
            assertViolation(ArchitectureRules.NO_PACKAGE_CYCLES, Alpha.class, Beta.class);
        }

        @Test
        void java_util_logging_fails() {
            assertViolation(ArchitectureRules.NO_JAVA_UTIL_LOGGING, UsesJul.class);
        }

        @Test
        void constructor_injection_passes() {
            assertPasses(ArchitectureRules.NO_FIELD_INJECTION, ConstructorInjected.class);
        }

        @ParameterizedTest
        @ValueSource(classes = {JakartaFieldInjected.class, JavaxFieldInjected.class})
        void field_injection_fails(Class<?> offender) {
            assertViolation(ArchitectureRules.NO_FIELD_INJECTION, offender);
        }
    }

    @Nested
    class DomainModelShapes {
        @Test
        void records_enums_sealed_interfaces_and_final_classes_pass() {
            assertPasses(ArchitectureRules.DOMAIN_MODEL_TYPES_ARE_CLOSED, ValueRecord.class, Kind.class,
                    Kind.SPECIAL.getClass(), Outcome.class, Outcome.Ok.class, Outcome.Failed.class, Values.class);
        }

        @ParameterizedTest
        @ValueSource(classes = {MutableValue.class, AbstractValue.class})
        void open_class_in_domain_model_fails(Class<?> offender) {
            assertViolation(ArchitectureRules.DOMAIN_MODEL_TYPES_ARE_CLOSED, offender, ValueRecord.class);
        }
    }

    @Nested
    class Dagger {
        @Test
        void dagger_in_di_passes() {
            assertPasses(ArchitectureRules.DAGGER_ONLY_IN_DI, GoodModule.class, GoodComponent.class,
                    PlainService.class);
        }

        @ParameterizedTest
        @ValueSource(classes = {ModuleOutsideDi.class, ComponentOutsideDi.class, ProvidesOutsideDi.class})
        void dagger_annotation_outside_di_fails(Class<?> offender) {
            assertViolation(ArchitectureRules.DAGGER_ONLY_IN_DI, offender, PlainService.class);
        }
    }

    @Nested
    class CliFlags {
        @Test
        void a_shared_flag_through_its_mixin_passes() {
            assertPasses(ArchitectureRules.SHARED_CLI_FLAGS_COME_FROM_MIXINS, CommandWithMixin.class,
                    DatabaseOption.class);
        }

        @ParameterizedTest
        @ValueSource(classes = {CommandWithOwnDbFlag.class, CommandWithOwnConfigFlag.class})
        void a_command_declaring_a_shared_flag_itself_fails(Class<?> offender) {
            assertViolation(ArchitectureRules.SHARED_CLI_FLAGS_COME_FROM_MIXINS, offender, CommandWithMixin.class,
                    DatabaseOption.class);
        }
    }
}
