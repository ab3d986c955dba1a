package dev.mcphealth.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's table "behaviour -> the one class that decides it" names classes that exist, in the package
 * it gives: a newcomer who follows it lands on the class, and a class moved or renamed fails here until the table
 * says where it went.
 */
class ArchitectureDocTest {
    private static final String SECTION = "## Where each behaviour is decided";
    private static final Pattern CLASS_CELL = Pattern.compile("`((?:[a-z]+\\.)+[A-Z]\\w*)`");

    @Test
    void everyClassOfTheBehaviourTableExistsWhereTheTableSays() throws IOException {
        Path doc = RepositoryRoot.find().resolve("docs/architecture.md");
        List<String> named = classesOfTable(Files.readString(doc));
        assertTrue(named.size() >= 13, "the table names a class for each behaviour: " + named);
        assertEquals(List.of(), missing(named), "classes the table names that do not exist (under dev.mcphealth.)");
    }

    @Test
    void aTableNamingAMissingClassFails() {
        String doc = "# A\n\n" + SECTION + "\n\n| behaviour | class |\n|---|---|\n"
                + "| hysteresis | `domain.monitoring.HysteresisPolicy` |\n"
                + "| gone | `domain.monitoring.NoSuchPolicy` |\n\n## Next\n| x | `domain.model.Nope` |\n";
        List<String> named = classesOfTable(doc);
        assertEquals(List.of("domain.monitoring.HysteresisPolicy", "domain.monitoring.NoSuchPolicy"), named,
                "only the section's table is read");
        assertEquals(List.of("domain.monitoring.NoSuchPolicy"), missing(named));
    }

    static List<String> classesOfTable(String markdown) {
        int start = markdown.indexOf(SECTION);
        assertTrue(start >= 0, "the section " + SECTION + " exists");
        int end = markdown.indexOf("\n## ", start + SECTION.length());
        String section = markdown.substring(start, end < 0 ? markdown.length() : end);
        List<String> names = new ArrayList<>();
        for (String line : section.split("\n")) {
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("\\|");
            Matcher m = CLASS_CELL.matcher(cells[cells.length - 1]);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static List<String> missing(List<String> names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            try {
                Class.forName("dev.mcphealth." + name, false, ArchitectureDocTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(name);
            }
        }
        return missing;
    }
}
