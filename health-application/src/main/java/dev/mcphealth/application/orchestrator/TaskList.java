package dev.mcphealth.application.orchestrator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of get_status's task lists, {@code {success, tasks[], total_count, page_count, current_page, page_size,
 * has_more, ...}}: its count is {@code total_count}, else the tasks it holds; {@code more} when it has further pages.
 */
record TaskList(long count, boolean more, List<Map<String, Object>> tasks) {
    static Optional<TaskList> of(Object list) {
        if (list instanceof List<?> plain) {
            // an older shape: the list itself
            return Optional.of(new TaskList(plain.size(), false, maps(plain)));
        }
        if (!(list instanceof Map<?, ?> m)) {
            return Optional.empty();
        }
        List<Map<String, Object>> tasks = m.get("tasks") instanceof List<?> l ? maps(l) : List.of();
        long count = m.get("total_count") instanceof Number n && n.longValue() >= 0 ? n.longValue() : tasks.size();
        return Optional.of(new TaskList(Math.max(count, tasks.size()), Boolean.TRUE.equals(m.get("has_more")),
                tasks));
    }

    private static List<Map<String, Object>> maps(List<?> items) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : items) {
            if (o instanceof Map<?, ?> t) {
                out.add(JsonTrees.stringKeys(t));
            }
        }
        return List.copyOf(out);
    }
}
