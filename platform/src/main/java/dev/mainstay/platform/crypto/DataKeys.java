package dev.mainstay.platform.crypto;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;

/**
 * The keyring: AES-256 data keys per org and purpose, stored wrapped by the {@link KeyEncryptionKey}
 * in {@code crypto_data_key}.
 *
 * <p>Each change commits on its own connection before a key is used: a data key must never
 * encrypt anything while its row could still be rolled back, or what it encrypted would be lost.
 * Unwrapped keys are cached for {@link #CACHE_TTL} (measured by {@link CoarseTicker}, so up to
 * a quarter second more), so a key rotated or destroyed by another
 * replica stops being used here within that time.
 */
public final class DataKeys {

    /** How long this replica trusts its cached keys and primaries. */
    static final Duration CACHE_TTL = Duration.ofSeconds(60);

    /** Opens a JDBC connection to Mainstay's database; the caller closes it. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /** A data key's state: encrypts, only decrypts, or is gone (crypto-shredded). */
    public enum State {
        PRIMARY("primary"), DECRYPT_ONLY("decrypt-only"), DESTROYED("destroyed");

        private final String column;

        State(String column) {
            this.column = column;
        }

        static State of(String column) {
            for (State state : values()) {
                if (state.column.equals(column)) {
                    return state;
                }
            }
            throw new IllegalStateException("unknown data key state '" + column + "'");
        }
    }

    /** A data key's row, without the key. */
    public record Info(UUID id, String org, String purpose, State state, String kekId, Instant createdAt) {
    }

    /** A usable data key, with the ciphertext header of the values it encrypts (copied, never changed). */
    record DataKey(UUID id, SecretKey key, byte[] header) {

        DataKey(UUID id, SecretKey key) {
            this(id, key, FieldCipher.header(id));
        }
    }

    private record Cached<T>(T value, long loadedAtMillis) {
    }

    /** Which primary key: one per org and purpose. */
    private record Slot(String org, String purpose) {
    }

    private final ConnectionSource db;
    private final KeyEncryptionKey kek;
    private final CryptoProviders providers;
    private final Clock clock;
    private final Map<UUID, Cached<DataKey>> keys = new ConcurrentHashMap<>();
    private final Map<Slot, Cached<DataKey>> primaries = new ConcurrentHashMap<>();

    public DataKeys(ConnectionSource db, KeyEncryptionKey kek, CryptoProviders providers, Clock clock) {
        this.db = db;
        this.kek = kek;
        this.providers = providers;
        this.clock = clock;
    }

    CryptoProviders providers() {
        return providers;
    }

    /** The key that encrypts for {@code org} and {@code purpose}, made now if there is none. */
    DataKey primary(String org, String purpose) {
        Slot slot = new Slot(org, purpose);
        Cached<DataKey> cached = primaries.get(slot);
        if (fresh(cached)) {
            return cached.value();
        }
        DataKey key = readPrimary(org, purpose).orElseGet(() -> create(org, purpose));
        primaries.put(slot, new Cached<>(key, CoarseTicker.millis()));
        return key;
    }

    /**
     * The key with {@code id}.
     *
     * @throws FieldCipherException with {@code UNKNOWN_KEY} or {@code KEY_DESTROYED}
     */
    DataKey byId(UUID id) {
        Cached<DataKey> cached = keys.get(id);
        if (fresh(cached)) {
            return cached.value();
        }
        try (Connection c = db.open();
             PreparedStatement s = c.prepareStatement("SELECT state, kek_id, wrapped, destroyed_at FROM crypto_data_key WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new FieldCipherException(FieldCipherException.Reason.UNKNOWN_KEY, "no data key " + id + " in this database");
                }
                if (State.of(rs.getString(1)) == State.DESTROYED) {
                    keys.remove(id);
                    throw new FieldCipherException(FieldCipherException.Reason.KEY_DESTROYED, "data key " + id
                        + " was destroyed at " + rs.getTimestamp(4).toInstant() + " (crypto-shredded)");
                }
                DataKey key = new DataKey(id, unwrap(id, rs.getString(2), rs.getBytes(3)));
                keys.put(id, new Cached<>(key, CoarseTicker.millis()));
                return key;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read data key " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes a new primary key for {@code org} and {@code purpose}; the old one becomes decrypt-only
     * until re-encryption leaves nothing under it.
     *
     * @return the new key's id
     */
    public UUID rotate(String org, String purpose) {
        UUID id = UUID.randomUUID();
        byte[] wrapped = kek.wrap(providers.newAesKey());
        inTransaction(c -> {
            try (PreparedStatement retire = c.prepareStatement("UPDATE crypto_data_key SET state = 'decrypt-only', retired_at = ?"
                + " WHERE org = ? AND purpose = ? AND state = 'primary'")) {
                retire.setTimestamp(1, Timestamp.from(clock.instant()));
                retire.setString(2, org);
                retire.setString(3, purpose);
                retire.executeUpdate();
            }
            insert(c, id, org, purpose, wrapped);
            return null;
        });
        primaries.remove(new Slot(org, purpose));
        return id;
    }

    /**
     * Destroys every data key of {@code org} (crypto-shredding): their wrapped bytes are erased, so
     * nothing ever encrypted for the org can be decrypted again, here or from a backup taken after.
     *
     * @return how many keys were destroyed
     */
    public int destroy(String org, String reason) {
        int destroyed = inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE crypto_data_key SET state = 'destroyed', wrapped = NULL,"
                + " destroyed_at = ?, destroy_reason = ? WHERE org = ? AND state <> 'destroyed'")) {
                s.setTimestamp(1, Timestamp.from(clock.instant()));
                s.setString(2, reason);
                s.setString(3, org);
                return s.executeUpdate();
            }
        });
        keys.clear();
        primaries.keySet().removeIf(slot -> slot.org().equals(org));
        return destroyed;
    }

    /** The org's data keys, newest first. */
    public List<Info> list(String org) {
        List<Info> infos = new ArrayList<>();
        try (Connection c = db.open(); PreparedStatement s = c.prepareStatement("SELECT id, purpose, state, kek_id, created_at"
            + " FROM crypto_data_key WHERE org = ? ORDER BY created_at DESC, id")) {
            s.setString(1, org);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    infos.add(new Info(rs.getObject(1, UUID.class), org, rs.getString(2), State.of(rs.getString(3)), rs.getString(4),
                        rs.getTimestamp(5).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the data keys of org " + org + ": " + e.getMessage(), e);
        }
        return infos;
    }

    /**
     * Checks that the configured KEK unwraps the data keys already stored: one key per KEK id
     * recorded in {@code crypto_data_key} is unwrapped. Run at startup, so that a wrong KEK stops
     * the start instead of failing every later decryption.
     *
     * @return how many stored keys were checked
     * @throws KeyMaterialException naming the stored KEK id the configured KEK cannot stand in for
     */
    public int verifyKek() {
        int checked = 0;
        try (Connection c = db.open(); PreparedStatement s = c.prepareStatement("SELECT DISTINCT ON (kek_id) id, kek_id, wrapped"
            + " FROM crypto_data_key WHERE state <> 'destroyed' ORDER BY kek_id, created_at DESC")) {
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    try {
                        kek.unwrap(rs.getBytes(3));
                        checked++;
                    } catch (GeneralSecurityException e) {
                        throw new KeyMaterialException("the configured key-encryption key " + kek.id() + " cannot unwrap data key "
                            + rs.getObject(1, UUID.class) + ", which KEK " + rs.getString(2) + " wrapped: configure that KEK"
                            + " (every value encrypted under it would otherwise be unreadable)");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the data keys: " + e.getMessage(), e);
        }
        return checked;
    }

    private Optional<DataKey> readPrimary(String org, String purpose) {
        try (Connection c = db.open(); PreparedStatement s = c.prepareStatement(
            "SELECT id, kek_id, wrapped FROM crypto_data_key WHERE org = ? AND purpose = ? AND state = 'primary'")) {
            s.setString(1, org);
            s.setString(2, purpose);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                UUID id = rs.getObject(1, UUID.class);
                return Optional.of(new DataKey(id, unwrap(id, rs.getString(2), rs.getBytes(3))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the primary data key of " + org + "/" + purpose + ": " + e.getMessage(), e);
        }
    }

    private DataKey create(String org, String purpose) {
        UUID id = UUID.randomUUID();
        SecretKey key = providers.newAesKey();
        byte[] wrapped = kek.wrap(key);
        try {
            inTransaction(c -> {
                insert(c, id, org, purpose, wrapped);
                return null;
            });
            return new DataKey(id, key);
        } catch (IllegalStateException e) {
            // Another replica made the primary first (the unique index allows one): use theirs.
            return readPrimary(org, purpose).orElseThrow(() -> e);
        }
    }

    private void insert(Connection c, UUID id, String org, String purpose, byte[] wrapped) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO crypto_data_key (id, org, purpose, state, kek_id, wrapped,"
            + " created_at) VALUES (?, ?, ?, 'primary', ?, ?, ?)")) {
            s.setObject(1, id);
            s.setString(2, org);
            s.setString(3, purpose);
            s.setString(4, kek.id());
            s.setBytes(5, wrapped);
            s.setTimestamp(6, Timestamp.from(clock.instant()));
            s.executeUpdate();
        }
    }

    private SecretKey unwrap(UUID id, String kekId, byte[] wrapped) {
        try {
            return kek.unwrap(wrapped);
        } catch (GeneralSecurityException e) {
            throw new FieldCipherException(FieldCipherException.Reason.WRONG_KEK, "data key " + id + " was wrapped by KEK "
                + kekId + ", and the configured KEK " + kek.id() + " cannot unwrap it");
        }
    }

    private static final long CACHE_TTL_MILLIS = CACHE_TTL.toMillis();

    private static boolean fresh(Cached<?> cached) {
        return cached != null && CoarseTicker.millis() - cached.loadedAtMillis() < CACHE_TTL_MILLIS;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = db.open()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change data keys: " + e.getMessage(), e);
        }
    }
}
