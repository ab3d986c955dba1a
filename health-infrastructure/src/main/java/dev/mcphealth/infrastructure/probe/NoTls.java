package dev.mcphealth.infrastructure.probe;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS of an HTTP client that only ever speaks cleartext ({@code http://} URLs): none. The JDK's client sets up
 * the default TLS context when it is built, whether or not it will use it: the security providers, the trust store's
 * certificates parsed, the cipher suites listed, about 0.2 s of a {@code check}'s critical path for a local server
 * (docs/benchmarks.md, "Cold start"). Such a client gets this context instead, and fails closed: anything that would
 * open a TLS connection through it (there is no such path: redirects are never followed) is refused.
 */
final class NoTls extends SSLContextSpi {
    /** Whether {@code url} is spoken to in cleartext ({@code http://}), so that its client needs no TLS. */
    static boolean cleartext(java.net.URI url) {
        return "http".equalsIgnoreCase(url.getScheme());
    }

    /** {@code b} with no TLS set up: this context, and parameters of its own (the default ones would ask it). */
    static java.net.http.HttpClient.Builder without(java.net.http.HttpClient.Builder b) {
        return b.sslContext(context()).sslParameters(new SSLParameters());
    }

    /** A context with no TLS in it. */
    static SSLContext context() {
        return new Context();
    }

    private static final class Context extends SSLContext {
        Context() {
            super(new NoTls(), null, "none");
        }
    }

    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException("no TLS on a client for http:// URLs");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
        throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        throw refused();
    }
}
