package dev.mainstay.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This CLI's version, from {@code version.properties}, which the build fills in. */
public final class Version {

    private Version() {
    }

    /** E.g. {@code 0.1.0}; {@code unknown} when run from classes the build did not filter. */
    public static String text() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/mainstay/cli/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
