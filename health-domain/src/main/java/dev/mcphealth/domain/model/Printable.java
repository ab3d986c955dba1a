package dev.mcphealth.domain.model;

/**
 * Text that is safe to show on a terminal. A server name, a server's error text or a tool's answer may hold control
 * characters (ESC starts a terminal escape sequence that can recolour, move the cursor or retitle the window; CR and
 * BS overwrite what was printed) or Unicode bidirectional formatting characters (U+202E shows the rest of a line
 * reversed, so "txt.exe" reads as "exe.txt"). Shown raw, such text can forge or hide output; escaped, it shows what it
 * is. Every unsafe character becomes {@code \\uXXXX} (a JSON escape, so escaped text inside a JSON string still means
 * the same string).
 */
public final class Printable {
    private Printable() {
    }

    /**
     * Whether {@code codePoint} must not reach a terminal raw: a C0 or C1 control character or DEL (Unicode category
     * Cc), a bidirectional formatting character (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), or the
     * line and paragraph separators U+2028 and U+2029 (which break a line where no newline is seen).
     */
    public static boolean isUnsafe(int codePoint) {
        return Character.getType(codePoint) == Character.CONTROL
                || codePoint == 0x061C || codePoint == 0x200E || codePoint == 0x200F
                || (codePoint >= 0x202A && codePoint <= 0x202E)
                || (codePoint >= 0x2066 && codePoint <= 0x2069)
                || codePoint == 0x2028 || codePoint == 0x2029;
    }

    /** The index of the first unsafe character of {@code s}, or -1 when there is none. */
    public static int firstUnsafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isUnsafe(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The most characters of a value a message quotes: enough to recognise it; a server name, a type or a key longer
     * than this (a 3 MB string in a configuration file, say) would otherwise make the message that names it as long.
     */
    public static final int QUOTE_MAX = 64;

    /**
     * {@code s} as a message quotes it: in double quotes, escaped, and cut after {@link #QUOTE_MAX} characters with
     * its length said ({@code "abc…" (3000000 characters)}); {@code null} is {@code null}.
     */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        if (s.length() <= QUOTE_MAX) {
            return '"' + escape(s) + '"';
        }
        return '"' + escape(s.substring(0, QUOTE_MAX)) + "…\" (" + s.length() + " characters)";
    }

    /** {@code s} cut like {@link #quote} but not quoted (for a name in a path, a number); escaped. */
    public static String shorten(String s) {
        if (s == null || s.length() <= QUOTE_MAX) {
            return escape(s);
        }
        return escape(s.substring(0, QUOTE_MAX)) + "… (" + s.length() + " characters)";
    }

    /**
     * The first line of a library's message without the code it names for programmers: "(500, from
     * `StreamReadConstraints.getMaxNestingDepth()`)" says "(500)"; "enable `JsonReadFeature.ALLOW_X` to allow" says
     * "(not allowed)"; any other backquoted dotted name becomes "a setting". What is left is what a person can act on.
     */
    public static String withoutCode(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.replaceAll(",? *from `[^`]*`", "")
                .replaceAll("[:;,]? *enable `[^`]*` to allow", " (not allowed)")
                .replaceAll("`[A-Za-z_$][\\w$]*(\\.[\\w$]+)+(\\(\\))?`", "a setting");
    }

    /** {@code s} with every unsafe character escaped as {@code \\uXXXX}: always one line. {@code null} stays null. */
    public static String escape(String s) {
        return escape(s, false);
    }

    /**
     * {@code s} escaped like {@link #escape}, except that newlines and tabs are kept: for multi-line text such as a
     * tool's answer, shown as it is laid out.
     */
    public static String escapeKeepingLines(String s) {
        return escape(s, true);
    }

    /**
     * Where {@code s} first shows the program's code: a Java class or package name, an exception's class, a stack
     * frame, a JVM message such as "Cannot invoke ..."; -1 when it shows none. (A server's own error names, such as
     * a Node "TypeError", are the server's, and pass.) Such text is for a debugger, never for a
     * client, a log line or the database: it tells an attacker what runs, and a user nothing.
     */
    public static int revealsCode(String s) {
        if (s == null) {
            return -1;
        }
        // past this, text is cut before it is shown anyway; and the pattern stays linear on hostile text
        java.util.regex.Matcher m = CODE.matcher(s.length() > CODE_SCAN ? s.substring(0, CODE_SCAN) : s);
        return m.find() ? m.start() : -1;
    }

    /** How much of a text {@link #revealsCode} reads. */
    static final int CODE_SCAN = 64 * 1024;

    /**
     * A package and a class ({@code java.lang.String}, {@code io.modelcontextprotocol.spec.McpError}: two segments at
     * least before the class, with no nested repetition, so a long "a.a.a.a" costs linear time and no deep recursion),
     * an exception or JVM error class, the JVM's and Jackson's words, a stack frame.
     */
    private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile(
            "\\b[a-z][a-z0-9_]*+\\.[a-z][a-z0-9_]*+\\.[A-Z]"
                    + "|\\b[A-Za-z]+Exception\\b|\\b(?:OutOfMemory|StackOverflow|NoClassDefFound|Assertion|Internal"
                    + "|Linkage|Mcp)Error\\b|Cannot invoke|because \"|\\$[A-Z][a-z]"
                    + "|\\.java:\\d+|\\n\\s*at [a-z]|\\bat \\[Source|No location information");

    /** The code point as people write it: U+202E. */
    public static String codePoint(int codePoint) {
        return String.format(java.util.Locale.ROOT, "U+%04X", codePoint);
    }

    private static String escape(String s, boolean keepLines) {
        if (s == null || firstUnsafe(s) < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isUnsafe(c) && !(keepLines && (c == '\n' || c == '\t'))) {
                b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
