package dev.mainstay.platform.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the JTA transaction manager (Narayana, under Helidon's JTA integration) keeps its
 * recovery log. Narayana reads its settings from system properties when it first starts;
 * without them it writes {@code ObjectStore/} and {@code PutObjectStoreDirHere/} into whatever
 * the working directory happens to be.
 */
final class TransactionLog {

    private static final String[] NARAYANA_STORE_DIRS = {
        "ObjectStoreEnvironmentBean.objectStoreDir",
        "ObjectStoreEnvironmentBean.stateStore.objectStoreDir",
        "ObjectStoreEnvironmentBean.communicationStore.objectStoreDir",
        "com.arjuna.ats.arjuna.objectstore.objectStoreDir",
    };

    private TransactionLog() {
    }

    /**
     * Points Narayana at {@code directory}, creating it; call before the server (and so the
     * transaction manager) starts.
     *
     * @throws ConfigurationException if the directory cannot be created
     */
    static void placeIn(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigurationException(ApplianceSettings.TX_LOG_DIR + ": " + dir + " cannot be created: " + e.getMessage());
        }
        for (String key : NARAYANA_STORE_DIRS) {
            System.setProperty(key, dir.toString());
        }
    }
}
