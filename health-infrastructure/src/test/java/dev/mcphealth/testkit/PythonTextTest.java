package dev.mcphealth.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The texts the orchestrator double writes are Python's, byte for byte (expected values printed by CPython 3.11). */
class PythonTextTest {

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void jsonDumpsWithIndentTwo() {
        Object value = ordered("a", 1, "b", List.of(true, 0.0, 25.5), "c", ordered(), "d", List.of(),
                "e", null, "f", ordered("g", "x"));
        // json.dumps({"a": 1, "b": [True, 0.0, 25.5], "c": {}, "d": [], "e": None, "f": {"g": "x"}}, indent=2)
        assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    true,\n    0.0,\n    25.5\n  ],\n  \"c\": {},\n  \"d\": [],\n"
                + "  \"e\": null,\n  \"f\": {\n    \"g\": \"x\"\n  }\n}", PythonText.json(value));
    }

    @Test
    void jsonDumpsEscapesLikePythonWithEnsureAscii() {
        // json.dumps("é \"q\" \\ \n\t\x01 😀 /")
        assertEquals("\"\\u00e9 \\\"q\\\" \\\\ \\n\\t\\u0001 \\ud83d\\ude00 /\"", PythonText.json("é \"q\" \\ \n\t\u0001 😀 /"));
    }

    @Test
    void reprOfADictUsesSingleQuotesUnlessTheTextHasOne() {
        Map<String, Object> error = ordered("status", "error", "error", "Handler error: 'str' object is not a mapping",
                "ok", true, "none", null, "n", 3, "both", "it's \"x\"");
        assertEquals("{'status': 'error', 'error': \"Handler error: 'str' object is not a mapping\", 'ok': True, "
                + "'none': None, 'n': 3, 'both': 'it\\'s \"x\"'}", PythonText.repr(error));
        assertEquals("['a', 'b']", PythonText.repr(Arrays.asList("a", "b")));
        assertEquals("'tab\\there\\n'", PythonText.repr("tab\there\n"));
    }

    @Test
    void timestampsAsDatetimeIsoformatWrites() {
        assertEquals("2026-01-02T03:04:05.123456", PythonText.naiveUtc(Instant.parse("2026-01-02T03:04:05.123456789Z")));
        assertEquals("2026-01-02T03:04:05", PythonText.naiveUtc(Instant.parse("2026-01-02T03:04:05Z")),
                "no fraction when the microseconds are zero");
        assertEquals("2026-01-02T03:04:05.000100+00:00", PythonText.awareUtc(Instant.parse("2026-01-02T03:04:05.0001Z")));
    }
}
