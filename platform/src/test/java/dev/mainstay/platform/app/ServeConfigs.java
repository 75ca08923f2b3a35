package dev.mainstay.platform.app;

import dev.mainstay.audit.AuditCrypto;
import dev.mainstay.audit.SigningKey;
import dev.mainstay.platform.crypto.CryptoProviders;
import dev.mainstay.platform.crypto.CryptoSettings;
import dev.mainstay.platform.crypto.KekSource;
import dev.mainstay.testkit.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Configuration files and keys for {@code ./mainstay serve} in tests, as an operator makes them. */
final class ServeConfigs {

    private ServeConfigs() {
    }

    /** A new KEK file in {@code dir}, as an operator makes one ({@code head -c 32 /dev/urandom}, mode 0600). */
    static Path newKek(Path dir) {
        Path file = dir.resolve("kek.key");
        KekSource.createIfMissing(file, CryptoProviders.standard());
        return file;
    }

    /** A checkpoint signing key in {@code dir}, as {@code ./mainstay audit keygen} makes one. */
    static Path auditKey(Path dir) {
        Path file = dir.resolve("audit-signing.pem");
        if (!Files.exists(file)) {
            SigningKey.generate(AuditCrypto.standard()).write(file);
        }
        return file;
    }

    static CryptoSettings kekFileSettings(Path file) {
        return new CryptoSettings(false, Optional.of(file), Optional.empty(), Optional.empty(), Optional.empty(), "mainstay-kek",
            Optional.empty(), Optional.empty());
    }

    /** A serve configuration behind a TLS proxy on a free port, with {@code kek} as the key-encryption key. */
    static Path proxiedConfig(TestDatabase db, Path dir, Path kek) {
        return proxiedConfig(db, dir, List.of("file: " + kek));
    }

    /** A serve configuration behind a TLS proxy on a free port; {@code kek} are the YAML lines under {@code mainstay.crypto.kek}. */
    static Path proxiedConfig(TestDatabase db, Path dir, List<String> kek) {
        try {
            return Files.writeString(dir.resolve("mainstay.yaml"), """
                mainstay:
                  http:
                    host: 127.0.0.1
                    port: 0
                    behind-tls-proxy: true
                    trusted-proxies: 127.0.0.1/32
                  db:
                    url: %s
                    user: %s
                  tx:
                    log-dir: %s
                  log:
                    format: text
                  crypto:
                    kek:
                      %s
                  audit:
                    signing-key: %s
                """.formatted(db.jdbcUrl(), db.user(), dir.resolve("tx"), String.join("\n" + " ".repeat(6), kek), auditKey(dir)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
