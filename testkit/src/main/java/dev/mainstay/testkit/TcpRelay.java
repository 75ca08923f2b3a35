package dev.mainstay.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP port that relays every connection to a target, byte for byte (TLS passes through
 * untouched), and can be stopped and started again on the same port: from a client's side, the
 * service behind it went down and came back, at the same address.
 */
public final class TcpRelay implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    private TcpRelay(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
    }

    /** A relay to {@code host:targetPort}, on a free loopback port, started. */
    public static TcpRelay to(String host, int targetPort) {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TcpRelay relay = new TcpRelay(new InetSocketAddress(host, targetPort), probe.getLocalPort());
            probe.close();
            relay.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    /** The loopback port clients connect to. */
    public int port() {
        return port;
    }

    /** Accepts connections again, on the same port. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            Thread accept = new Thread(() -> accept(s), "tcp-relay-" + port);
            accept.setDaemon(true);
            accept.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + port, e);
        }
    }

    /** Refuses connections from now on (connection refused), and cuts the ones open. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            // Closing a listening socket cannot leave anything behind worth reporting.
        }
        server = null;
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // Already closed by its peer.
            }
        }
        open.clear();
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream;
                try {
                    upstream = new Socket(target.getHostString(), target.getPort());
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                open.add(client);
                open.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                // The relay was stopped: the loop ends.
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // One side closed: close both below.
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException e) {
                    // Already closed.
                }
            }
        }, "tcp-relay-pipe");
        t.setDaemon(true);
        t.start();
    }
}
