package dev.mcphealth.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.Arrays;
import java.util.Set;

/**
 * The architecture of MCP Health as ArchUnit rules. {@code ArchitectureTest} checks them against the production
 * classes; {@code ArchitectureRulesFailOnViolationTest} shows that each one fails on a class that breaks it.
 *
 * <p>Packages are matched by pattern ({@code ..domain..}, not {@code dev.mcphealth.domain..}) so that the fixtures
 * under {@code dev.mcphealth.architecture.fixtures} fall under the same rules as the real code.
 */
public final class ArchitectureRules {

    private static final String DOMAIN = "..domain..";
    private static final String APPLICATION = "..application..";
    private static final String PORT_IN = "..application.port.in..";
    private static final String PORT_OUT = "..application.port.out..";
    /**
     * The application's own code, by feature: each package holds the services of one part of the product and their
     * helpers (package-private where nothing outside needs them). The ports stay central in {@code port.in} and
     * {@code port.out}: most adapters use several features' ports. A new feature is a decision, so it is named here.
     */
    static final Set<String> FEATURES = Set.of(
            "monitoring", "check", "recovery", "routing", "orchestrator", "tuning", "catalog", "history", "learning");

    /**
     * The domain by the same features, beside {@code domain.model}: the values every feature shares (servers, metrics,
     * failures, events). A feature's own values and its policy (the pure functions that decide) live together.
     */
    static final Set<String> DOMAIN_FEATURES = Set.of(
            "model", "monitoring", "recovery", "routing", "prediction", "tuning", "history", "orchestrator",
            "learning");

    private static final DescribedPredicate<JavaClass> SERVICES =
            resideInAPackage(APPLICATION).and(not(resideInAPackage("..application.port..")))
                    .as("the application's feature packages (..application.*.. except ..application.port..)");
    private static final String INFRASTRUCTURE = "..infrastructure..";
    private static final String ADAPTER = "..adapter..";
    private static final String ANY_DI = "..di..";
    private static final String SCHEDULER = "..infrastructure.scheduler..";

    /** The composition roots and reusable Dagger modules: the only code that sees every layer. */
    private static final DescribedPredicate<JavaClass> WIRING =
            resideInAnyPackage("..infrastructure.di..", "..adapter.*.di..")
                    .as("wiring (..infrastructure.di.., ..adapter.*.di..)");

    private static final String LAYER_DOMAIN = "Domain";
    private static final String LAYER_PORTS = "Application ports";
    private static final String LAYER_SERVICES = "Application services";
    private static final String LAYER_INFRASTRUCTURE = "Infrastructure";
    private static final String LAYER_ADAPTERS = "Adapters";
    private static final String LAYER_WIRING = "Wiring";

    private ArchitectureRules() {
    }

    // ---- a. layering ------------------------------------------------------------------------------------------

    /**
     * Onion layering: domain at the centre, then the application's ports and services, then infrastructure and the
     * adapters side by side, each seeing only ports and domain. Only the wiring ({@code ..di..}) sees everything.
     * Every class must belong to a layer.
     */
    @ArchTest
    public static final ArchRule LAYERED_ARCHITECTURE = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .ensureAllClassesAreContainedInArchitecture()
            .layer(LAYER_DOMAIN).definedBy(DOMAIN)
            .layer(LAYER_PORTS).definedBy("..application.port..")
            .layer(LAYER_SERVICES).definedBy(SERVICES)
            .layer(LAYER_INFRASTRUCTURE).definedBy(resideInAPackage(INFRASTRUCTURE).and(not(WIRING))
                    .as("infrastructure except its di"))
            .layer(LAYER_ADAPTERS).definedBy(resideInAPackage(ADAPTER).and(not(WIRING))
                    .as("adapters except their di"))
            .layer(LAYER_WIRING).definedBy(WIRING)
            .whereLayer(LAYER_DOMAIN).mayNotAccessAnyLayer()
            .whereLayer(LAYER_PORTS).mayOnlyAccessLayers(LAYER_DOMAIN)
            .whereLayer(LAYER_SERVICES).mayOnlyAccessLayers(LAYER_PORTS, LAYER_DOMAIN)
            .whereLayer(LAYER_INFRASTRUCTURE).mayOnlyAccessLayers(LAYER_PORTS, LAYER_DOMAIN)
            .whereLayer(LAYER_ADAPTERS).mayOnlyAccessLayers(LAYER_PORTS, LAYER_DOMAIN)
            .because("the core must not know what drives it or what it drives: adapters and infrastructure meet only "
                    + "at the ports, and only the di packages (composition roots, Dagger modules) put them together");

    /** The plainest statement of the layering's most tempting shortcut, with its own message. */
    @ArchTest
    public static final ArchRule ADAPTERS_DO_NOT_DEPEND_ON_INFRASTRUCTURE = noClasses()
            .that().resideInAPackage(ADAPTER).and().resideOutsideOfPackage("..adapter.*.di..")
            .should().dependOnClassesThat().resideInAPackage(INFRASTRUCTURE)
            .because("adapters get use cases through the incoming port interfaces; only their di package (the "
                    + "composition root) may reach infrastructure");

    // ---- b. a pure core ---------------------------------------------------------------------------------------

    @ArchTest
    public static final ArchRule DOMAIN_DEPENDS_ONLY_ON_JDK = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN)
            .because("the domain is plain Java: records, enums and pure functions that any layer can use and any test "
                    + "can run without a framework");

    @ArchTest
    public static final ArchRule CORE_IS_FREE_OF_FRAMEWORKS = noClasses()
            .that().resideInAnyPackage(DOMAIN, APPLICATION)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "tools.jackson..", "com.fasterxml.jackson..",
                    "java.sql..", "javax.sql..", "org.sqlite..", "com.zaxxer..", "org.flywaydb..",
                    "io.github.resilience4j..",
                    "dagger..", "javax.inject..", "jakarta.inject..",
                    "picocli..",
                    "io.modelcontextprotocol..", "reactor..",
                    "org.slf4j..",
                    "io.prometheus..", "io.opentelemetry..", "jakarta.servlet..", "org.eclipse.jetty..")
            .because("domain and application are wired by @Provides methods in infrastructure.di, and adapters "
                    + "translate JSON, SQL, SDK and resilience exceptions at the boundary, so none of them reach the core");

    // ---- c. time ----------------------------------------------------------------------------------------------

    private static final Set<String> SYSTEM_CLOCK_OF_CLOCK =
            Set.of("systemUTC", "systemDefaultZone", "system", "tickSeconds", "tickMinutes", "tickMillis");

    private static final DescribedPredicate<JavaAccess<?>> READ_SYSTEM_CLOCK_OR_SLEEP = DescribedPredicate.describe(
            "reads the system clock or sleeps (java.time *.now() without a Clock, System.currentTimeMillis(), "
                    + "System.nanoTime(), Clock.systemUTC()/systemDefaultZone()/system(..), Thread.sleep, TimeUnit.sleep)",
            ArchitectureRules::readsSystemClockOrSleeps);

    private static boolean readsSystemClockOrSleeps(JavaAccess<?> access) {
        if (!(access.getTarget() instanceof CodeUnitAccessTarget)) {
            return false;
        }
        CodeUnitAccessTarget target = (CodeUnitAccessTarget) access.getTarget();
        String owner = target.getOwner().getName();
        String name = target.getName();
        switch (owner) {
            case "java.lang.System":
                return name.equals("currentTimeMillis") || name.equals("nanoTime");
            case "java.lang.Thread":
            case "java.util.concurrent.TimeUnit":
                return name.equals("sleep");
            case "java.time.Clock":
                return SYSTEM_CLOCK_OF_CLOCK.contains(name);
            default:
                return owner.startsWith("java.time.") && name.equals("now")
                        && target.getRawParameterTypes().stream().noneMatch(p -> p.isEquivalentTo(java.time.Clock.class));
        }
    }

    /** Calls and method references ({@code System::nanoTime}) both count. */
    @ArchTest
    public static final ArchRule NO_SYSTEM_CLOCK_OR_SLEEP_OUTSIDE_WIRING = noClasses()
            .that().resideOutsideOfPackages(ANY_DI, SCHEDULER)
            .should().accessTargetWhere(READ_SYSTEM_CLOCK_OR_SLEEP)
            .because("services take a java.time.Clock and domain functions an Instant, so tests drive time with a "
                    + "test clock and never sleep; only the wiring (..di..) and the scheduler adapter "
                    + "(..infrastructure.scheduler..) touch the real clock");

    // ---- d. ports ---------------------------------------------------------------------------------------------

    @ArchTest
    public static final ArchRule INCOMING_PORTS_ARE_NAMED_USE_CASE = classes()
            .that().resideInAPackage(PORT_IN)
            .and().areInterfaces().and().areNotAnnotations().and().areTopLevelClasses()
            .should().haveSimpleNameEndingWith("UseCase")
            .because("an incoming port is named <Verb><Noun>UseCase; its records and exceptions are values, not ports");

    @ArchTest
    public static final ArchRule OUTGOING_PORTS_ARE_NAMED_PORT = classes()
            .that().resideInAPackage(PORT_OUT)
            .and().areInterfaces().and().areNotAnnotations().and().areTopLevelClasses()
            .and(DescribedPredicate.describe("are not sealed", (JavaClass c) -> !c.reflect().isSealed()))
            .should().haveSimpleNameEndingWith("Port")
            .because("an outgoing port is named by the capability the core needs: <Capability>Port (a sealed"
                    + " interface there is a closed set of values a port carries, such as OrchestratorRequest)");

    @ArchTest
    public static final ArchRule INCOMING_AND_OUTGOING_PORTS_ARE_INDEPENDENT = slices()
            .matching("..application.port.(*)..")
            .should().notDependOnEachOther()
            .because("what drives the core and what the core drives change for different reasons; the services "
                    + "are the only place where the two meet");

    @ArchTest
    public static final ArchRule USE_CASE_IMPLEMENTATIONS_ARE_NAMED_SERVICE = classes()
            .that(SERVICES).and().areNotAnonymousClasses()
            .and().implement(simpleNameEndingWith("UseCase").and(resideInAPackage(PORT_IN))
                    .as("an incoming port (..application.port.in..*UseCase)"))
            .should().haveSimpleNameEndingWith("Service")
            .because("the implementation of <Verb><Noun>UseCase is <Verb><Noun>Service");

    /** "Where does X happen" is answered by the package name: no application class outside a named feature. */
    @ArchTest
    public static final ArchRule APPLICATION_CODE_LIVES_IN_A_FEATURE = classes()
            .that(SERVICES)
            .should().resideInAnyPackage(FEATURES.stream().map(f -> "..application." + f + "..").toArray(String[]::new))
            .because("the application is split by feature (" + String.join(", ", new java.util.TreeSet<>(FEATURES))
                    + "), so a newcomer finds a behaviour from the package names alone; a new feature is added to "
                    + "ArchitectureRules.FEATURES on purpose");

    /** The same for the domain: shared values in {@code domain.model}, the rest by feature. */
    @ArchTest
    public static final ArchRule DOMAIN_CODE_LIVES_IN_A_FEATURE = classes()
            .that().resideInAPackage(DOMAIN)
            .should().resideInAnyPackage(DOMAIN_FEATURES.stream().map(f -> "..domain." + f + "..").toArray(String[]::new))
            .because("the domain is split like the application (" + String.join(", ", new java.util.TreeSet<>(
                    DOMAIN_FEATURES)) + "): a feature's values and the policy that decides over them sit together, "
                    + "and what every feature shares is in domain.model");

    private static final ArchCondition<JavaClass> BE_USED_FROM_ANOTHER_PACKAGE =
            new ArchCondition<>("be used from another package or in a public signature (a public class nothing "
                    + "outside uses is an internal that should be package-private)") {
                @Override
                public void check(JavaClass type, ConditionEvents events) {
                    boolean usedOutside = type.getDirectDependenciesToSelf().stream()
                            .anyMatch(d -> !d.getOriginClass().getPackageName().equals(type.getPackageName()));
                    // a parameter or result of a public constructor or method (an interface the wiring passes a
                    // service as, say) is part of what the package shows, even when no caller names it
                    boolean inPublicSignature = java.util.stream.Stream.of(
                                    type.getConstructorsWithParameterTypeOfSelf(),
                                    type.getMethodsWithParameterTypeOfSelf(), type.getMethodsWithReturnTypeOfSelf())
                            .flatMap(java.util.Set::stream)
                            .anyMatch(code -> code.getModifiers().contains(JavaModifier.PUBLIC)
                                    && code.getOwner().getModifiers().contains(JavaModifier.PUBLIC)
                                    && !code.getOwner().equals(type));
                    if (!usedOutside && !inPublicSignature) {
                        events.add(SimpleConditionEvent.violated(type, type.getName() + " is public, but no class "
                                + "outside " + type.getPackageName() + " uses it"));
                    }
                }
            };

    /** A feature shows its services and the values they hand out; the rest stays inside its package. */
    @ArchTest
    public static final ArchRule FEATURE_INTERNALS_ARE_PACKAGE_PRIVATE = classes()
            .that(SERVICES).and().arePublic().and().areTopLevelClasses()
            .should(BE_USED_FROM_ANOTHER_PACKAGE)
            .because("one feature may not reach into another's internals: what no other package needs is "
                    + "package-private, so the compiler keeps it in");

    private static JavaClass topLevel(JavaClass c) {
        JavaClass t = c;
        while (t.getEnclosingClass().isPresent()) {
            t = t.getEnclosingClass().get();
        }
        return t;
    }

    private static boolean isValue(JavaClass c) {
        return c.isInterface() || c.isRecord() || c.isEnum() || c.isAssignableTo(Throwable.class);
    }

    private static final ArchCondition<JavaClass> NOT_DEPEND_ON_ANOTHER_CONCRETE_SERVICE =
            new ArchCondition<>("not depend on another concrete service (a class named *Service), only on the "
                    + "narrow interface it needs") {
                @Override
                public void check(JavaClass origin, ConditionEvents events) {
                    JavaClass self = topLevel(origin);
                    origin.getDirectDependenciesFromSelf().stream()
                            .map(d -> topLevel(d.getTargetClass()))
                            .filter(t -> !t.equals(self) && SERVICES.test(t) && !t.isInterface()
                                    && t.getSimpleName().endsWith("Service"))
                            .distinct()
                            .forEach(t -> events.add(SimpleConditionEvent.violated(origin, origin.getName()
                                    + " depends on the concrete service " + t.getName())));
                }
            };

    /**
     * The orchestrator's wire format stays in its adapter: the core reads what an answer says (its
     * {@code OrchestratorAnswer}, read by infrastructure.orchestrator.AnswerReader), never its JSON. The object as it
     * came is only handed on, as the record of a workflow's step (application.orchestrator.OrchestratorSteps).
     */
    @ArchTest
    public static final ArchRule THE_CORE_NEVER_READS_AN_ORCHESTRATOR_ANSWERS_JSON = noClasses()
            .that().resideInAnyPackage(DOMAIN, APPLICATION).and().doNotHaveSimpleName("OrchestratorSteps")
            .should().accessTargetWhere(DescribedPredicate.describe(
                    "is an orchestrator answer's JSON (OrchestratorReply.Answered.json())",
                    ArchitectureRules::readsAnAnswersJson))
            .because("which key holds what, and its quirks, are the orchestrator adapter's to know; the core gets "
                    + "typed answers, so a change of the orchestrator's shapes changes one class");

    private static boolean readsAnAnswersJson(JavaAccess<?> access) {
        return access.getTarget() instanceof CodeUnitAccessTarget target && target.getName().equals("json")
                && target.getOwner().getName().equals("dev.mcphealth.domain.orchestrator.OrchestratorReply$Answered");
    }

    /**
     * A service needs a capability, not another service: it takes the narrow interface (a port, or one of the
     * feature's interfaces such as RecoveryGate), so that two services never lock each other's shapes and none can
     * call back the one that calls it. Only the wiring names concrete services.
     */
    @ArchTest
    public static final ArchRule NO_SERVICE_DEPENDS_ON_A_CONCRETE_SERVICE = classes()
            .that(SERVICES).and().haveSimpleNameEndingWith("Service")
            .should(NOT_DEPEND_ON_ANOTHER_CONCRETE_SERVICE)
            .because("services meet at interfaces; the composition root (..di..) and a feature's own assembly (such as "
                    + "monitoring.Monitoring, which builds the monitor's parts over their shared state) are the places "
                    + "that know which class implements which");

    private static final ArchCondition<JavaClass> MEET_OTHER_FEATURES_AT_INTERFACES_AND_VALUES =
            new ArchCondition<>("use other features only through their interfaces and values (records, enums, "
                    + "exceptions)") {
                @Override
                public void check(JavaClass origin, ConditionEvents events) {
                    origin.getDirectDependenciesFromSelf().stream()
                            .map(d -> topLevel(d.getTargetClass()))
                            .filter(t -> SERVICES.test(t) && !t.getPackageName().equals(origin.getPackageName())
                                    && !isValue(t))
                            .distinct()
                            .forEach(t -> events.add(SimpleConditionEvent.violated(origin, origin.getName()
                                    + " uses " + t.getName() + ", a class of another feature that is neither an "
                                    + "interface nor a value")));
                }
            };

    @ArchTest
    public static final ArchRule FEATURES_MEET_AT_INTERFACES_AND_VALUES = classes()
            .that(SERVICES)
            .should(MEET_OTHER_FEATURES_AT_INTERFACES_AND_VALUES)
            .because("a feature's classes are its own to change; what another feature may rely on is what it shows "
                    + "on purpose: interfaces and values");

    private static final ArchCondition<JavaClass> IMPLEMENT_AT_MOST_THREE_USE_CASES =
            new ArchCondition<>("implement at most three use cases") {
                @Override
                public void check(JavaClass service, ConditionEvents events) {
                    java.util.List<String> useCases = service.getAllRawInterfaces().stream()
                            .filter(i -> i.getPackageName().contains(".application.port.in")
                                    && i.getSimpleName().endsWith("UseCase"))
                            .map(JavaClass::getSimpleName).sorted().toList();
                    if (useCases.size() > 3) {
                        events.add(SimpleConditionEvent.violated(service, service.getName() + " implements "
                                + useCases.size() + " use cases: " + String.join(", ", useCases)));
                    }
                }
            };

    @ArchTest
    public static final ArchRule A_SERVICE_IMPLEMENTS_AT_MOST_THREE_USE_CASES = classes()
            .that(SERVICES)
            .should(IMPLEMENT_AT_MOST_THREE_USE_CASES)
            .because("a service is one reason to change: more use cases than three in one class is several services "
                    + "that share state by accident (the monitor was nine)");

    // ---- e. independence and hygiene --------------------------------------------------------------------------

    /**
     * The MCP server and the CLI do not share classes; both serve the web adapter (the dashboard's pages, the read
     * API, the HTTP guard: {@code mcp-health-server --http} beside {@code /mcp}, {@code mcp-health watch --http}),
     * which depends on neither.
     */
    @ArchTest
    public static final ArchRule ADAPTERS_ARE_INDEPENDENT = slices()
            .matching("..adapter.(*)..")
            .should().notDependOnEachOther()
            .ignoreDependency(resideInAPackage("..adapter.."), resideInAPackage("..adapter.web.."))
            .because("the MCP server and the CLI are separate ways into the same use cases; sharing goes through the "
                    + "application, not from one adapter to another, except the web pages both serve");

    @ArchTest
    public static final ArchRule THE_WEB_ADAPTER_SPEAKS_NEITHER_MCP_NOR_CLI = noClasses()
            .that().resideInAPackage("..adapter.web..")
            .should().dependOnClassesThat().resideInAnyPackage("io.modelcontextprotocol..", "picocli..")
            .because("the pages read the use cases and write HTML and JSON; the protocol and the command line are "
                    + "the adapters that serve them");

    /** One slice per package: the finest granularity, so even two sibling packages may not form a cycle. */
    @ArchTest
    public static final ArchRule NO_PACKAGE_CYCLES = slices()
            .matching("dev.mcphealth.(**)")
            .should().beFreeOfCycles()
            .because("packages in a cycle can only be understood, tested and changed together");

    @ArchTest
    public static final ArchRule NO_JAVA_UTIL_LOGGING = noClasses()
            .should().dependOnClassesThat().resideInAPackage("java.util.logging..")
            .because("logging goes through SLF4J (and never to stdout, which carries the MCP protocol)");

    @ArchTest
    public static final ArchRule NO_FIELD_INJECTION = noFields()
            .should().beAnnotatedWith("javax.inject.Inject")
            .orShould().beAnnotatedWith("jakarta.inject.Inject")
            .because("dependencies come in through constructors or @Provides methods, so a class can be built "
                    + "in a test without Dagger and its fields can be final");

    // ---- f. domain model shapes -------------------------------------------------------------------------------

    @ArchTest
    public static final ArchRule DOMAIN_MODEL_TYPES_ARE_CLOSED = classes()
            .that().resideInAPackage(DOMAIN).and().areNotAnonymousClasses()
            .should().beRecords()
            .orShould().beEnums()
            .orShould().beInterfaces()
            .orShould().haveModifier(JavaModifier.FINAL)
            .because("domain values are immutable records, enums, sealed interfaces or final classes, and policies "
                    + "final classes of pure functions; nobody subclasses a value to change what it means");

    // ---- g. Dagger --------------------------------------------------------------------------------------------

    @ArchTest
    public static final ArchRule DAGGER_ONLY_IN_DI = CompositeArchRule
            .of(noClasses()
                    .that().resideOutsideOfPackage(ANY_DI)
                    .should().beAnnotatedWith("dagger.Module")
                    .orShould().beAnnotatedWith("dagger.Component")
                    .orShould().beAnnotatedWith("dagger.Subcomponent"))
            .and(noMethods()
                    .that().areDeclaredInClassesThat().resideOutsideOfPackage(ANY_DI)
                    .should().beAnnotatedWith("dagger.Provides")
                    .orShould().beAnnotatedWith("dagger.Binds"))
            .because("wiring is kept apart from logic: Dagger modules live in infrastructure.di and components in "
                    + "the adapters' di packages");

    // ---- h. the CLI -------------------------------------------------------------------------------------------

    /**
     * The flags every CLI command that opens servers or the database shares, each declared once. (The MCP server is a
     * program of its own with its own flags: adapters do not share classes.)
     */
    private static final Set<String> SHARED_CLI_FLAGS = Set.of("-c", "--config", "--db");

    private static final DescribedPredicate<JavaField> DECLARE_A_SHARED_CLI_FLAG =
            new DescribedPredicate<>("declare a picocli option named one of " + SHARED_CLI_FLAGS) {
                @Override
                public boolean test(JavaField field) {
                    return field.tryGetAnnotationOfType("picocli.CommandLine$Option")
                            .flatMap(option -> option.get("names"))
                            .filter(Object[].class::isInstance)
                            .map(names -> Arrays.stream((Object[]) names).anyMatch(SHARED_CLI_FLAGS::contains))
                            .orElse(false);
                }
            };

    @ArchTest
    public static final ArchRule SHARED_CLI_FLAGS_COME_FROM_MIXINS = fields()
            .that().areDeclaredInClassesThat().resideInAPackage("..adapter.cli..")
            .and(DECLARE_A_SHARED_CLI_FLAG)
            .should().beDeclaredInClassesThat(simpleName("ConfigOption").or(simpleName("DatabaseOption"))
                    .as("the mixins ConfigOption and DatabaseOption"))
            .because("--config and --db mean the same in every command: one declaration each (a picocli @Mixin), "
                    + "so their names, help and defaults cannot drift apart");
}
