package dev.mcphealth.adapter.cli.di;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code mcp-health --help}, as picocli prints it, made by the build ({@code process-classes}: {@link #main}) and
 * printed from the jar: picocli building the list of commands from their annotations was half of a {@code --help}
 * (about 0.2 s of 0.4 on a 2-core machine, docs/benchmarks.md, "Cold start"). Two texts, with and without the
 * terminal's colours, chosen as picocli chooses ({@link Ansi#AUTO}); a setting of picocli's own
 * ({@code -Dpicocli.usage.width=120}, any {@code picocli.*} property), or no text in the jar (classes run from an IDE),
 * leaves it to picocli.
 * {@code HelpTextTest} holds both to what picocli prints. {@code --version} alone is answered without picocli too.
 */
final class HelpText {
    static final String PLAIN = "help-plain.txt";
    static final String COLOURED = "help-ansi.txt";

    private HelpText() {
    }

    /** Whether {@code args} ask for the top-level help and nothing else. */
    static boolean asked(String[] args) {
        return args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
    }

    /**
     * What {@code args} print when they ask for the top-level help ({@link #stored}) or the version alone (the
     * version's lines, which picocli prints as they are), else nothing: the command line is picocli's to run.
     */
    static Optional<String> answer(String[] args) {
        if (asked(args)) {
            return stored();
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            StringBuilder b = new StringBuilder();
            for (String line : new dev.mcphealth.adapter.cli.Version().getVersion()) {
                b.append(line).append(System.lineSeparator());
            }
            return Optional.of(b.toString());
        }
        return Optional.empty();
    }

    /** The help as picocli would print it here, if the build made it and nothing asks for another width. */
    static Optional<String> stored() {
        // picocli reads its settings from system properties (a width, a colour scheme ...): with any, its own output
        for (Object name : System.getProperties().keySet()) {
            if (String.valueOf(name).startsWith("picocli.")) {
                return Optional.empty();
            }
        }
        try (InputStream in = HelpText.class.getResourceAsStream(Ansi.AUTO.enabled() ? COLOURED : PLAIN)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The help picocli prints, coloured or not. */
    static String printed(Ansi ansi) {
        StringWriter out = new StringWriter();
        CommandLine root = Main.commandLine((stop, finished) -> () -> { }, new String[] {"--help"});
        root.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
        root.setOut(new PrintWriter(out, true));
        root.execute("--help");
        return out.toString();
    }

    /** Writes both texts into the package's directory under {@code args[0]} (the build's classes). */
    public static void main(String[] args) {
        Path dir = Path.of(args[0], HelpText.class.getPackageName().replace('.', '/'));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(PLAIN), printed(Ansi.OFF), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(COLOURED), printed(Ansi.ON), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
