package dev.mainstay.cli.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP proxy on a random loopback port that does what corporate proxies do for HTTPS: it
 * answers {@code CONNECT host:port}, opens the tunnel and copies bytes both ways, never seeing
 * inside. It records each CONNECT target.
 */
final class ConnectProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<String> targets = new ArrayList<>();
    private final Thread acceptor;

    ConnectProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    List<String> targets() {
        synchronized (targets) {
            return List.copyOf(targets);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> tunnel(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String[] requestLine = head.split("\r\n", 2)[0].split(" ");
            if (!requestLine[0].equals("CONNECT")) {
                client.getOutputStream().write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            synchronized (targets) {
                targets.add(requestLine[1]);
            }
            String host = requestLine[1].substring(0, requestLine[1].lastIndexOf(':'));
            int port = Integer.parseInt(requestLine[1].substring(requestLine[1].lastIndexOf(':') + 1));
            try (Socket upstream = new Socket(host, port)) {
                client.getOutputStream().write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                Thread back = Thread.ofVirtual().start(() -> copy(upstream, client));
                copy(client, upstream);
                back.join(10_000);
            }
        } catch (IOException | InterruptedException e) {
            // The client went away; the test asserts on what it saw.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed before the end of its request");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void copy(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // One side closed; the other copy ends on its own.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
