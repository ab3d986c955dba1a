package dev.mcphealth.adapter.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** A tool's arguments: the JSON schema clients see and the validation of every call against it. */
final class InputSchema {
    private final List<Arg> args;

    InputSchema(List<Arg> args) {
        this.args = List.copyOf(args);
    }

    Map<String, Object> json() {
        Map<String, Object> props = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Arg a : args) {
            props.put(a.name, a.schema());
            if (a.required) {
                required.add(a.name);
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("properties", props);
        if (!required.isEmpty()) {
            s.put("required", required);
        }
        s.put("additionalProperties", false);
        return s;
    }

    /** The arguments of one call, checked; unknown names are refused (a typo should not be silently ignored). */
    Args read(Map<String, Object> given) {
        Map<String, Object> in = given == null ? Map.of() : given;
        for (String name : new TreeSet<>(in.keySet())) {
            if (args.stream().noneMatch(a -> a.name.equals(name))) {
                throw new BadArgumentException("unknown argument '" + name + "'; this tool takes "
                        + String.join(", ", args.stream().map(a -> a.name).toList()));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Arg a : args) {
            Optional<Object> v = a.read(in);
            v.ifPresent(x -> values.put(a.name, x));
        }
        return new Args(values);
    }
}
