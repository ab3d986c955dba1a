package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class DetailsJsonTest {
    @Test
    void writesAnObjectOfStringsInKeyOrderThatAnyJsonParserReadsBackAsItWas() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("zeta", "last");
        details.put("alpha", "quote \" backslash \\ newline \n tab \t bell \u0007 é 😀");
        details.put("mid", "");
        String json = DetailsJson.write(details);
        assertEquals('{', json.charAt(0));
        assertEquals(json.indexOf("\"alpha\"") < json.indexOf("\"mid\"") && json.indexOf("\"mid\"")
                < json.indexOf("\"zeta\""), true, json);
        assertEquals(details, JsonMapper.builder().build().readValue(json,
                new tools.jackson.core.type.TypeReference<Map<String, String>>() { }));
        assertEquals("{}", DetailsJson.write(Map.of()));
    }
}
