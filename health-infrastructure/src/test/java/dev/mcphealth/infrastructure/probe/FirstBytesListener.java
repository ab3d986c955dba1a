package dev.mcphealth.infrastructure.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listener on loopback that keeps the first two bytes of each connection (hex) and closes it: whether a client
 * spoke TLS to it (a handshake record: {@code 16 03}) or cleartext. No server behind it.
 */
final class FirstBytesListener implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<String> firstBytes = new CopyOnWriteArrayList<>();

    FirstBytesListener() throws IOException {
        Thread reader = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(5000);
                    byte[] b = s.getInputStream().readNBytes(2);
                    firstBytes.add(b.length == 2 ? String.format("%02x %02x", b[0], b[1]) : "short");
                } catch (IOException closed) {
                    return;
                }
            }
        }, "first-bytes-listener");
        reader.setDaemon(true);
        reader.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The first two bytes of each connection so far. */
    List<String> firstBytes() {
        return List.copyOf(firstBytes);
    }

    /** Whether there were connections, and each began with a TLS handshake record. */
    boolean allTls() {
        List<String> seen = firstBytes();
        return !seen.isEmpty() && seen.stream().allMatch(b -> b.startsWith("16 03"));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
