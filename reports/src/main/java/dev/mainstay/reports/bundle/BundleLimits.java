package dev.mainstay.reports.bundle;

/**
 * Bounds on one bundle, after decompression.
 *
 * @param maxBytes           the most bytes the archive may expand to
 * @param maxFiles           the most files (entries that are not directories) it may hold
 * @param maxFileBytes       the largest one file may be
 * @param maxReferencedBytes the most bytes of {@code referenced/} files, which are held in memory
 *                           until the event stream that names them is read
 */
public record BundleLimits(long maxBytes, int maxFiles, long maxFileBytes, long maxReferencedBytes) {

    /** 2 GiB expanded, 20,000 files, 512 MiB per file, 64 MiB of referenced files. */
    public static final BundleLimits DEFAULT = new BundleLimits(2L << 30, 20_000, 512L << 20, 64L << 20);

    public BundleLimits {
        if (maxBytes < 1024 || maxFiles < 1 || maxFileBytes < 1 || maxReferencedBytes < 0) {
            throw new IllegalArgumentException("bundle limits too small: " + maxBytes + " bytes, " + maxFiles + " files, "
                + maxFileBytes + " bytes per file, " + maxReferencedBytes + " referenced bytes");
        }
    }
}
