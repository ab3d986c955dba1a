package dev.mcphealth.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/**
 * Checks every rule of {@link ArchitectureRules} against the production classes of all modules. Test classes,
 * including the fixtures that break the rules on purpose, are not imported.
 */
@AnalyzeClasses(packages = "dev.mcphealth", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests RULES = ArchTests.in(ArchitectureRules.class);

    /** Guards against a rule passing only because nothing was imported. */
    @ArchTest
    static void imports_the_production_classes_of_every_module(JavaClasses classes) {
        for (String pkg : new String[] {
                "dev.mcphealth.domain.model", "dev.mcphealth.domain.policy",
                "dev.mcphealth.application.port.in", "dev.mcphealth.application.port.out",
                "dev.mcphealth.application.monitoring", "dev.mcphealth.application.recovery",
                "dev.mcphealth.application.routing", "dev.mcphealth.application.orchestrator",
                "dev.mcphealth.infrastructure.persistence", "dev.mcphealth.infrastructure.probe",
                "dev.mcphealth.infrastructure.di",
                "dev.mcphealth.adapter.cli", "dev.mcphealth.adapter.cli.di"}) {
            assertTrue(classes.stream().anyMatch(c -> c.getPackageName().equals(pkg)), "no classes imported from " + pkg);
        }
        assertTrue(classes.stream().noneMatch(c -> c.getPackageName().startsWith("dev.mcphealth.architecture")),
                "test classes (rules, fixtures) must not be checked as production code");
    }
}
