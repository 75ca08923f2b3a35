package dev.mainstay.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends each event to a syslog collector over TCP and TLS (RFC 5425): one RFC 5424 message per
 * event, octet-counted, on one connection kept open between batches. The server's certificate
 * and host name are checked. When the connection fails the batch fails; the connection is opened
 * again for the next attempt, which starts again at the cursor.
 *
 * <p>Message: facility 13 (log audit), severity notice (5) for a success and warning (4) for a
 * failure or denial; the event's time; APP-NAME {@code mainstay}; MSGID the action; no
 * structured data; MSG the event as the JSON line the file sink writes.
 */
public final class SyslogTlsSink implements SiemSink {

    static final int FACILITY_LOG_AUDIT = 13;

    private final String host;
    private final int port;
    private final String hostname;
    private final SSLSocketFactory tls;
    private SSLSocket socket;
    private OutputStream out;

    /**
     * A sink for the collector at {@code host:port}.
     *
     * @param hostname the HOSTNAME field: this appliance's name as the collector should show it
     * @param tls      trusts the collector's certificate
     */
    public SyslogTlsSink(String host, int port, String hostname, SSLSocketFactory tls) {
        this.host = host;
        this.port = port;
        String printable = hostname.replaceAll("[^!-~]", "");
        this.hostname = printable.isEmpty() ? "-" : printable.substring(0, Math.min(255, printable.length()));
        this.tls = tls;
    }

    @Override
    public String name() {
        return "syslog";
    }

    @Override
    public synchronized void deliver(List<AuditRecord> records) throws IOException {
        try {
            if (socket == null) {
                connect();
            }
            for (AuditRecord r : records) {
                byte[] message = message(r, hostname).getBytes(StandardCharsets.UTF_8);
                out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
                out.write(message);
            }
            out.flush();
        } catch (IOException e) {
            close();
            throw new IOException("syslog collector " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private void connect() throws IOException {
        SSLSocket s = (SSLSocket) tls.createSocket(host, port);
        SSLParameters parameters = s.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(parameters);
        s.setSoTimeout(30_000);
        s.startHandshake();
        socket = s;
        out = new java.io.BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    }

    /** The RFC 5424 message for {@code r}, without the octet count. */
    static String message(AuditRecord r, String hostname) {
        AuditEvent e = r.event();
        int severity = e.outcome() == AuditEvent.Outcome.SUCCESS ? 5 : 4;
        String msgId = e.action().replaceAll("[^!-~]", "");
        if (msgId.isEmpty()) {
            msgId = "-";
        }
        try {
            return "<" + (FACILITY_LOG_AUDIT * 8 + severity) + ">1 " + Canonical.time(e.time()) + " " + hostname + " mainstay - "
                + msgId.substring(0, Math.min(32, msgId.length())) + " - " + ExportFile.eventLine(r);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode event " + r.seq(), ex);
        }
    }

    @Override
    public synchronized void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection; the next batch opens a new one
            }
        }
        socket = null;
        out = null;
    }
}
