package dev.mcphealth.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TEST DOUBLE of a network path: a TCP relay on 127.0.0.1 to a port on 127.0.0.1, which a test can cut and heal,
 * so that one process loses a server the others still reach (a partition) with no network namespace. Cut, it relays
 * nothing either way and answers nothing (connections stay open, bytes sent into it vanish, new connections are
 * accepted and never answered), as a network that drops packets does; healed, the connections it held are reset (the
 * state a firewall or NAT dropped meanwhile) and new ones are relayed again.
 */
public final class TcpProxyDouble implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpProxyDouble(ServerSocket listener, int target) {
        this.listener = listener;
        this.target = target;
    }

    /** A relay to 127.0.0.1:{@code target}, listening on a free loopback port. */
    public static TcpProxyDouble to(int target) {
        try {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TcpProxyDouble proxy = new TcpProxyDouble(s, target);
            Thread accept = new Thread(proxy::accept, "tcp-proxy-double-accept");
            accept.setDaemon(true);
            accept.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing passes, and nothing is refused. */
    public void cut() {
        cut = true;
    }

    /** The connections held are reset; new ones pass again. */
    public void heal() {
        for (Socket s : open) {
            quietly(s);
        }
        open.clear();
        cut = false;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(client);
            if (cut) {
                continue; // accepted, never answered: held until healed
            }
            try {
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(server);
                relay(client, server);
                relay(server, client);
            } catch (IOException e) {
                quietly(client);
            }
        }
    }

    private void relay(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!cut) {
                        out.write(buf, 0, n);
                        out.flush();
                    } // cut: what was sent is lost on the way
                }
            } catch (IOException e) {
                // one side closed or reset
            } finally {
                quietly(from);
                quietly(to);
            }
        }, "tcp-proxy-double-relay");
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(Socket s) {
        try {
            s.setSoLinger(true, 0); // a reset, as a dropped connection's next packet gets
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closed already
        }
        heal();
    }
}
