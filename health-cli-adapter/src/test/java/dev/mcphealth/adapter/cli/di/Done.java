package dev.mcphealth.adapter.cli.di;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the CLI in this JVM ({@link Main#commandLine()}): its exit code and what it wrote to each stream. */
record Done(int exit, String out, String err) {

    static Done run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Done(exit, out.toString(), err.toString());
    }
}
