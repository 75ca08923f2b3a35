package dev.mainstay.reports.junit;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How many attempts of each test one suite has shown so far, so that a test repeated in its
 * suite (Gradle, pytest-rerunfailures) numbers its attempts on. A suite can hold a million
 * tests, so a test is remembered by a 64-bit hash of its class, file and name ({@link #key}),
 * not by the strings: 12 bytes in two arrays, open-addressed, at most half full (about 24 to 48
 * bytes a test, against some 150 for a map of strings to integers).
 *
 * <p>Two different tests whose three strings hash alike would be numbered as attempts of one
 * test. For a suite of a million distinct tests the chance that any two do is about 3 in 100
 * million; a report crafted to collide can only misnumber its own attempts. Where a key lands in
 * the table is salted per table, so crafted keys cannot pile onto one slot either.
 */
final class AttemptsSeen {

    private static final int FIRST_CAPACITY = 16;

    private final long salt = ThreadLocalRandom.current().nextLong();
    private long[] keys = new long[FIRST_CAPACITY];
    /** Attempts seen per slot; 0 marks an empty slot, as every test seen has at least one attempt. */
    private int[] counts = new int[FIRST_CAPACITY];
    private int size;
    /** The last class and file keyed, and their hash: a suite's tests mostly share them. */
    private String lastClassname;
    private String lastFile;
    private long lastPrefix;

    /** The key of a test: a 64-bit hash of its class, file and name, each string ended by its length. */
    static long key(String classname, String name, String file) {
        return finish(mix(prefix(classname, file), name));
    }

    /** {@link #key}, with the class and file hashed once for the tests in a row that share them. */
    long keyOf(String classname, String name, String file) {
        if (!classname.equals(lastClassname) || !file.equals(lastFile)) {
            lastPrefix = prefix(classname, file);
            lastClassname = classname;
            lastFile = file;
        }
        return finish(mix(lastPrefix, name));
    }

    private static long prefix(String classname, String file) {
        return mix(mix(0x2545_F491_4F6C_DD1DL, classname), file);
    }

    /**
     * Adds {@code attempts} to those seen of the test with {@code key}; returns how many were seen before.
     *
     * @throws IllegalArgumentException when {@code attempts} is not positive
     */
    int add(long key, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be positive: " + attempts);
        }
        int slot = slot(keys, counts, key);
        int before = counts[slot];
        if (before == 0) {
            keys[slot] = key;
            if (++size > keys.length / 2) {
                counts[slot] = attempts;
                grow();
                return 0;
            }
        }
        counts[slot] = before + attempts;
        return before;
    }

    /** How many tests were seen. */
    int size() {
        return size;
    }

    /** The slot holding {@code key}, or the empty one where it goes: linear probing from the salted hash. */
    private int slot(long[] inKeys, int[] inCounts, long key) {
        int mask = inKeys.length - 1;
        int slot = (int) finish(key ^ salt) & mask;
        while (inCounts[slot] != 0 && inKeys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldCounts.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldCounts[i] != 0) {
                int slot = slot(keys, counts, oldKeys[i]);
                keys[slot] = oldKeys[i];
                counts[slot] = oldCounts[i];
            }
        }
    }

    /** Folds {@code s} into {@code h} four characters at a time (MurmurHash3's 64-bit rounds), then its length. */
    private static long mix(long h, String s) {
        int n = s.length();
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            h = round(h, s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32 | (long) s.charAt(i + 3) << 48);
        }
        long tail = 0;
        for (; i < n; i++) {
            tail = tail << 16 | s.charAt(i);
        }
        return round(round(h, tail), n);
    }

    private static long round(long h, long k) {
        long mixed = Long.rotateLeft(k * 0x87C3_7B91_1142_53D5L, 31) * 0x4CF5_AD43_2745_937FL;
        return Long.rotateLeft(h ^ mixed, 27) * 5 + 0x52DC_E729;
    }

    /** MurmurHash3's finalizer: every bit of {@code h} moves every bit of the result. */
    private static long finish(long h) {
        h = (h ^ (h >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        h = (h ^ (h >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return h ^ (h >>> 33);
    }
}
