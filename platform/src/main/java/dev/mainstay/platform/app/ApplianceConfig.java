package dev.mainstay.platform.app;

import io.helidon.config.mp.MpConfigSources;
import io.helidon.config.yaml.mp.YamlMpConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Builds the appliance's MicroProfile Config. Sources, strongest first:
 * <ol>
 *   <li>settings Mainstay derives for Helidon ({@code server.*}, the data source) from the
 *       {@code mainstay.*} values below — users never set these directly;</li>
 *   <li>in {@code dev}, what the dev launcher fixes: the embedded database, the dev certificate;</li>
 *   <li>Java system properties ({@code -Dmainstay.http.port=9443});</li>
 *   <li>environment variables ({@code MAINSTAY_HTTP_PORT=9443}, MicroProfile's mapping);</li>
 *   <li>the {@code serve --config} file;</li>
 *   <li>in {@code dev}, its defaults (listen on loopback only);</li>
 *   <li>the defaults in {@code META-INF/microprofile-config.properties}.</li>
 * </ol>
 */
public final class ApplianceConfig {

    public static final int DERIVED_ORDINAL = 1000;
    public static final int DEV_FIXED_ORDINAL = 500;
    public static final int FILE_ORDINAL = 250;
    public static final int DEV_DEFAULTS_ORDINAL = 150;

    /** The name the data source has in CDI ({@code @Named}) and in persistence.xml. */
    public static final String DATA_SOURCE = "mainstay";

    private ApplianceConfig() {
    }

    /**
     * Reads a {@code serve --config} file: Java properties, or YAML when it ends in .yaml/.yml.
     *
     * @throws ConfigurationException if the file is missing or unreadable
     */
    public static ConfigSource fileSource(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigurationException("configuration file " + file + " does not exist or cannot be read");
        }
        String name = file.getFileName().toString();
        ConfigSource parsed;
        try {
            parsed = name.endsWith(".yaml") || name.endsWith(".yml")
                ? YamlMpConfigSource.create(file)
                : MpConfigSources.create(file);
        } catch (RuntimeException e) {
            throw new ConfigurationException("configuration file " + file + " cannot be parsed: " + e.getMessage());
        }
        return source("file:" + file, parsed.getProperties(), FILE_ORDINAL);
    }

    /** A fixed set of properties at {@code ordinal}. */
    public static ConfigSource source(String name, Map<String, String> properties, int ordinal) {
        Map<String, String> copy = Map.copyOf(new HashMap<>(properties));
        return new ConfigSource() {
            @Override
            public Set<String> getPropertyNames() {
                return copy.keySet();
            }

            @Override
            public String getValue(String key) {
                return copy.get(key);
            }

            @Override
            public String getName() {
                return name;
            }

            @Override
            public int getOrdinal() {
                return ordinal;
            }

            @Override
            public Map<String, String> getProperties() {
                return copy;
            }
        };
    }

    /** Config from the defaults, the environment, system properties and {@code extra}. */
    public static Config build(ConfigSource... extra) {
        return ConfigProviderResolver.instance().getBuilder()
            .addDefaultSources()
            .addDiscoveredConverters()
            .withSources(extra)
            .build();
    }

    /**
     * The final config: the default sources and {@code extra}, plus the Helidon settings derived
     * from {@code settings}, registered as the application's config.
     */
    public static Config buildForServer(ApplianceSettings settings, ConfigSource... extra) {
        ConfigSource[] all = java.util.Arrays.copyOf(extra, extra.length + 1);
        all[extra.length] = source("mainstay-derived", derived(settings), DERIVED_ORDINAL);
        Config config = build(all);
        ConfigProviderResolver.instance().registerConfig(config, Thread.currentThread().getContextClassLoader());
        return config;
    }

    /** Helidon and data-source keys that follow from the {@code mainstay.*} settings. */
    static Map<String, String> derived(ApplianceSettings s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("server.host", s.host());
        m.put("server.port", Integer.toString(s.port()));
        if (!s.behindTlsProxy()) {
            m.put("server.tls.private-key.pem.key.resource.path", s.tlsPrivateKey().orElseThrow().toString());
            m.put("server.tls.private-key.pem.cert-chain.resource.path", s.tlsCertificate().orElseThrow().toString());
        }
        s.redirectPort().ifPresent(port -> {
            m.put("server.sockets.0.name", HttpHardening.REDIRECT_SOCKET);
            m.put("server.sockets.0.host", s.host());
            m.put("server.sockets.0.port", Integer.toString(port));
        });
        String ds = "javax.sql.DataSource." + DATA_SOURCE + ".";
        m.put(ds + "jdbcUrl", s.dbUrl().orElseThrow(() -> new ConfigurationException(ApplianceSettings.DB_URL + " is not set")));
        m.put(ds + "username", s.dbUser());
        if (!s.dbPassword().isEmpty()) {
            // MicroProfile Config treats an empty value as absent; leave the key out instead.
            m.put(ds + "password", s.dbPassword());
        }
        m.put(ds + "maximumPoolSize", Integer.toString(s.dbPoolSize()));
        m.put(ds + "poolName", DATA_SOURCE);
        return m;
    }
}
