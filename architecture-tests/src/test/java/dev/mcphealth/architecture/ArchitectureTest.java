package dev.mcphealth.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import java.util.ArrayList;
import java.util.List;

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
        List<String> packages = new ArrayList<>(List.of(
                "dev.mcphealth.application.port.in", "dev.mcphealth.application.port.out",
                "dev.mcphealth.infrastructure.persistence", "dev.mcphealth.infrastructure.probe",
                "dev.mcphealth.infrastructure.di",
                "dev.mcphealth.adapter.cli", "dev.mcphealth.adapter.cli.di",
                "dev.mcphealth.adapter.mcp", "dev.mcphealth.adapter.mcp.di"));
        ArchitectureRules.FEATURES.forEach(f -> packages.add("dev.mcphealth.application." + f));
        ArchitectureRules.DOMAIN_FEATURES.forEach(f -> packages.add("dev.mcphealth.domain." + f));
        for (String pkg : packages) {
            assertTrue(classes.stream().anyMatch(c -> c.getPackageName().equals(pkg)), "no classes imported from " + pkg);
        }
        assertTrue(classes.stream().noneMatch(c -> c.getPackageName().startsWith("dev.mcphealth.architecture")),
                "test classes (rules, fixtures) must not be checked as production code");
    }
}
