package dev.mcphealth.infrastructure.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** The cleartext client's TLS context: it refuses every TLS use (fails closed), and the JDK's client builds on it. */
class NoTlsTest {
    @Test
    void everyTlsUseIsRefused() {
        SSLContext ctx = NoTls.context();
        assertEquals("no TLS on a client for http:// URLs",
                assertThrows(UnsupportedOperationException.class, ctx::createSSLEngine).getMessage());
        assertThrows(UnsupportedOperationException.class, ctx::getSocketFactory);
        assertThrows(UnsupportedOperationException.class, ctx::getClientSessionContext);
        assertThrows(UnsupportedOperationException.class, () -> ctx.init(null, null, null));
    }

    @Test
    void aClientBuiltOnItCannotOpenAnHttpsConnection() {
        HttpClient client = NoTls.without(HttpClient.newBuilder()).build();
        // refused before any connection is made (nothing listens on port 1 anyway)
        Exception e = assertThrows(Exception.class, () -> client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:1/")).build(), HttpResponse.BodyHandlers.discarding()));
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof UnsupportedOperationException)) {
            cause = cause.getCause();
        }
        assertEquals("no TLS on a client for http:// URLs", cause.getMessage(), String.valueOf(e));
    }
}
