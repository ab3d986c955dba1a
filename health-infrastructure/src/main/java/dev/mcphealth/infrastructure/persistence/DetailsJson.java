package dev.mcphealth.infrastructure.persistence;

import java.io.StringWriter;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The details column: a JSON object of strings, its keys in order. Written with Jackson's streaming generator, not its
 * object mapper: this runs for every metric row (2,000 a second at 1,000 servers), and the mapper sets up a
 * serialization context per value, several times the work of writing a few short strings.
 */
final class DetailsJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private DetailsJson() {
    }

    static String write(Map<String, String> details) {
        StringWriter out = new StringWriter(16 + 32 * details.size());
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(details).entrySet()) {
                g.writeName(e.getKey());
                g.writeString(e.getValue());
            }
            g.writeEndObject();
        }
        return out.toString();
    }
}
