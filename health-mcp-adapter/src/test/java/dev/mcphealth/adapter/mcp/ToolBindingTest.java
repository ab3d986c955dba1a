package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.Obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.domain.model.ServerId;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a tool's outcome becomes a CallToolResult: replies, caller mistakes, and internal failures kept internal. */
class ToolBindingTest {
    static final String SECRET = "Authorization: Bearer s3cr3t";

    private static HealthTool throwing(RuntimeException e) {
        return tool(Arg.flag("x", "x"), args -> {
            if (e != null) {
                throw e;
            }
            return Reply.ok("done", Obj.of().put("n", 1).put("nan", Double.NaN).put("none", java.util.Optional.empty())
                    .map());
        });
    }

    /** A tool of one argument that answers as {@code call} does. */
    private static HealthTool tool(Arg arg, java.util.function.Function<Args, Reply> call) {
        return new HealthTool() {
            public String name() {
                return "t";
            }

            public String title() {
                return "T";
            }

            public String description() {
                return "a tool";
            }

            public InputSchema input() {
                return new InputSchema(List.of(arg));
            }

            public Map<String, Object> outputSchema() {
                return Schemas.object(Map.of(), List.of());
            }

            public Reply call(Args args) {
                return call.apply(args);
            }
        };
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void aReplyIsSummaryStructuredContentAndTheSameAsJsonText() {
        McpSchema.CallToolResult r = ToolBinding.answer(throwing(null), Map.of(), McpJsonDefaults.getMapper());
        assertFalse(Boolean.TRUE.equals(r.isError()));
        assertEquals("done", text(r));
        assertEquals(Map.of("n", 1), r.structuredContent(), "absent and non-finite values are left out");
        assertEquals("{\"n\":1}", ((McpSchema.TextContent) r.content().get(1)).text());
    }

    @Test
    void aBadArgumentsWordsReachNoTerminalAsEscapeSequences() {
        McpSchema.CallToolResult r = ToolBinding.answer(tool(Arg.matching("server", "a server", "(?s).*", "any text"),
                args -> {
                    throw new BadArgumentException("server", "names no server: \"" + args.text("server").orElse("")
                            + "\"");
                }), Map.of("server", "\u001b[31mred\u0007"), McpJsonDefaults.getMapper());
        assertEquals(Boolean.TRUE, r.isError());
        assertFalse(text(r).contains("\u001b") || text(r).contains("\u0007"), text(r));
        assertTrue(text(r).contains("names no server: \"\\u001b[31mred\\u0007\""), text(r));
    }

    @Test
    void anInternalIllegalArgumentIsAnIncidentWithoutItsMessageOrClass() {
        McpSchema.CallToolResult r = ToolBinding.answer(throwing(new IllegalArgumentException("unknown endpoint "
                + SECRET)), Map.of(), McpJsonDefaults.getMapper());
        assertEquals(Boolean.TRUE, r.isError());
        assertTrue(text(r).matches("t: internal error \\(incident \\d+\\); the server's log has the details"),
                text(r));
        assertFalse(text(r).contains("s3cr3t"));
    }

    @Test
    void anUnknownServerIsTheCallersMistakeAndSaysSo() {
        McpSchema.CallToolResult r = ToolBinding.answer(throwing(new UnknownServerException(Set.of(ServerId.of("nope")),
                Set.of(ServerId.of("a")))), Map.of(), McpJsonDefaults.getMapper());
        assertEquals(Boolean.TRUE, r.isError());
        assertTrue(text(r).startsWith("t: ") && text(r).contains("nope"), text(r));
    }

    @Test
    void theDatabaseAwayIsOneSentenceNotAnIncidentAndNamesNoDatabase() {
        McpSchema.CallToolResult r = ToolBinding.answer(throwing(new dev.mcphealth.application.port.out
                .StorageUnavailableException("cannot read history from postgresql://mcp@db:5432/health: Connection"
                        + " refused", null)), Map.of(), McpJsonDefaults.getMapper());
        assertEquals(Boolean.TRUE, r.isError());
        assertEquals("t: the database cannot be read now; the server's log says why", text(r));
    }
}
