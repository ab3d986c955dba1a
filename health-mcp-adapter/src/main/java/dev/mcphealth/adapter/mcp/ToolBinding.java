package dev.mcphealth.adapter.mcp;

import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link HealthTool} into the SDK's tool specification: checks the arguments, calls the tool, and answers with
 * the summary, the structured content and (for clients that read only text) the same content as JSON text. A mistake
 * of the caller (a bad argument, an unknown server or type) is a tool error whose message says what was wrong;
 * anything else is a tool error that names an incident number, with the exception's message on stderr only:
 * an internal message may quote what it should not (a stored row, an endpoint), and no stack trace reaches a client.
 */
final class ToolBinding {
    private static final Logger LOG = LoggerFactory.getLogger(ToolBinding.class);
    private static final AtomicLong INCIDENTS = new AtomicLong();

    private ToolBinding() {
    }

    static SyncToolSpecification of(HealthTool tool, McpJsonMapper mapper) {
        McpSchema.Tool spec = McpSchema.Tool.builder()
                .name(tool.name())
                .title(tool.title())
                .description(tool.description())
                .inputSchema(tool.input().json())
                .outputSchema(tool.outputSchema())
                .annotations(new McpSchema.ToolAnnotations(tool.title(), tool.readOnly(), tool.destructive(),
                        tool.readOnly(), false, null))
                .build();
        return SyncToolSpecification.builder()
                .tool(spec)
                .callHandler((exchange, request) -> answer(tool, request.arguments(), mapper))
                .build();
    }

    /** The whole call, as the SDK will send it; public to the package for the tests. */
    static McpSchema.CallToolResult answer(HealthTool tool, Map<String, Object> arguments, McpJsonMapper mapper) {
        Reply reply;
        try {
            reply = tool.call(tool.input().read(arguments));
        } catch (BadArgumentException | UnknownServerException | UnknownServerTypeException e) {
            // the message may quote what the client sent: escaped, so that no escape sequence of it reaches a terminal
            return error(tool.name() + ": " + dev.mcphealth.domain.model.Printable.escape(e.getMessage()));
        } catch (dev.mcphealth.application.port.out.StorageUnavailableException e) {
            // the database away or unreadable: the client is told so, the server's log says which and why (the
            // database's address and what it holds stay there, as with the read API)
            LOG.warn("{} could not use the database: {}", tool.name(), e.getMessage());
            return error(tool.name() + ": the database cannot be read now; the server's log says why");
        } catch (RuntimeException | Error e) {
            long incident = INCIDENTS.incrementAndGet();
            LOG.error("{} failed (incident {}): {}", tool.name(), incident, e.getMessage());
            return error(tool.name() + ": internal error (incident " + incident + "); the server's log has the "
                    + "details");
        }
        McpSchema.CallToolResult.Builder b = McpSchema.CallToolResult.builder()
                .addTextContent(reply.summary())
                .structuredContent(reply.structured());
        try {
            b.addTextContent(mapper.writeValueAsString(reply.structured()));
        } catch (IOException e) {
            LOG.warn("{}: the structured content could not be written as text: {}", tool.name(), e.getMessage());
        }
        return b.isError(reply.error()).build();
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
