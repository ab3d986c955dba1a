package dev.mcphealth.infrastructure.http;

import java.net.http.HttpClient;
import java.util.function.Supplier;

/**
 * A JDK HTTP client built when it is first used. Building one starts its selector thread and sets up TLS (the trust
 * store is read and parsed): tens of milliseconds of every command's start, paid for nothing by a {@code check} that
 * never needs that client (no OAuth server, no server of the 2026-07-28 revision).
 */
public final class LazyHttpClient {
    private final Supplier<HttpClient> build;
    private volatile HttpClient client;

    public LazyHttpClient(Supplier<HttpClient> build) {
        this.build = build;
    }

    public HttpClient get() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = build.get();
                    client = c;
                }
            }
        }
        return c;
    }
}
