package dev.mainstay.cli.upload;

import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.UsageException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which proxy an upload goes through: {@code --proxy host:port}, else {@code HTTPS_PROXY} /
 * {@code https_proxy} for an https URL ({@code HTTP_PROXY} / {@code http_proxy} for http), as curl
 * reads them; none for a host that {@code NO_PROXY} / {@code no_proxy} names ({@code *}, a host,
 * or a domain: {@code example.com} and {@code .example.com} both cover {@code a.example.com}).
 * HTTPS goes through the proxy in a CONNECT tunnel, so the proxy never sees the token.
 */
final class Proxies {

    private Proxies() {
    }

    /**
     * The proxy for {@code target}, when one applies.
     *
     * @throws UsageException when the proxy setting is not {@code [http://]host:port}
     */
    static Optional<InetSocketAddress> forTarget(Context context, Optional<String> flag, URI target) throws UsageException {
        boolean https = "https".equalsIgnoreCase(target.getScheme());
        String variable = https ? (!context.env("HTTPS_PROXY").isEmpty() ? "HTTPS_PROXY" : "https_proxy")
            : (!context.env("HTTP_PROXY").isEmpty() ? "HTTP_PROXY" : "http_proxy");
        String setting = flag.orElse(context.env(variable));
        if (setting.isEmpty() || bypassed(context.env(!context.env("NO_PROXY").isEmpty() ? "NO_PROXY" : "no_proxy"), target.getHost())) {
            return Optional.empty();
        }
        return Optional.of(address(setting, flag.isPresent() ? "--proxy" : variable));
    }

    /** A selector that always answers {@code proxy}. */
    static ProxySelector always(InetSocketAddress proxy) {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(new Proxy(Proxy.Type.HTTP, proxy));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException e) {
                // The retry loop reports and retries failed connections.
            }
        };
    }

    static boolean bypassed(String noProxy, String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
        for (String raw : noProxy.split(",")) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                return true;
            }
            entry = entry.replaceAll("^\\[|\\]$", "").replaceFirst(":\\d+$", "").replaceFirst("^\\*?\\.", "");
            if (h.equals(entry) || h.endsWith("." + entry)) {
                return true;
            }
        }
        return false;
    }

    private static InetSocketAddress address(String setting, String source) throws UsageException {
        String s = setting.strip().replaceFirst("^(?i)https?://", "").replaceAll("/+$", "");
        if (s.contains("@")) {
            throw new UsageException(source + ": proxy credentials (user:password@) are not supported; use a proxy that admits the runner");
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || !s.substring(colon + 1).matches("\\d{1,5}")) {
            throw new UsageException(source + " must be host:port (e.g. proxy.internal:3128), not '" + setting + "'");
        }
        int port = Integer.parseInt(s.substring(colon + 1));
        if (port < 1 || port > 65535) {
            throw new UsageException(source + ": port " + port + " is out of range");
        }
        return InetSocketAddress.createUnresolved(s.substring(0, colon).replaceAll("^\\[|\\]$", ""), port);
    }
}
