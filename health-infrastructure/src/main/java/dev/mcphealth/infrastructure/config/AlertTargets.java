package dev.mcphealth.infrastructure.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a watch sends its events besides its own output ({@code health.alerts}): a JSON-lines file and a webhook.
 * The webhook's URL and headers are secrets (Slack puts its token in the path): {@link #toString()} never shows them.
 */
public record AlertTargets(Optional<Path> file, Optional<Webhook> webhook) {
    public static final AlertTargets NONE = new AlertTargets(Optional.empty(), Optional.empty());

    public AlertTargets {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(webhook, "webhook");
    }

    /** A webhook to POST each event to. */
    public record Webhook(URI url, Map<String, String> headers) {
        public Webhook {
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
        }

        @Override
        public String toString() {
            return "Webhook[" + url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                    + ", " + headers.size() + " headers]";
        }
    }
}
