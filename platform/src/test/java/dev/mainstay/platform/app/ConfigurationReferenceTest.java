package dev.mainstay.platform.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mainstay.platform.app.dev.DevMode;
import dev.mainstay.platform.auditing.AuditSettings;
import dev.mainstay.platform.auditing.SiemSettings;
import dev.mainstay.platform.crypto.CryptoSettings;
import dev.mainstay.platform.flaky.webhooks.WebhookSettings;
import dev.mainstay.platform.identity.IdentitySettings;
import dev.mainstay.platform.identity.KeycloakAdminSettings;
import dev.mainstay.platform.ingest.UploadSettings;
import dev.mainstay.platform.jobs.JobCatalogue;
import dev.mainstay.platform.jobs.JobDefinition;
import dev.mainstay.platform.jobs.JobSettings;
import dev.mainstay.platform.queue.forge.github.GitHubSettings;
import dev.mainstay.platform.queue.inbound.GitHubWebhookSettings;
import dev.mainstay.platform.queue.worker.QueueDefaults;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents exactly the keys the appliance reads. */
class ConfigurationReferenceTest {

    @Test
    void the_configuration_reference_lists_every_key_and_no_other() throws Exception {
        Set<String> inCode = new TreeSet<>();
        for (Class<?> holder : new Class<?>[] {ApplianceSettings.class, DevMode.class, IdentitySettings.class,
            KeycloakAdminSettings.class, CryptoSettings.class, AuditSettings.class, SiemSettings.class, UploadSettings.class,
            WebhookSettings.class, GitHubWebhookSettings.class, GitHubSettings.class, QueueDefaults.class, JobSettings.class}) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                    && ((String) f.get(null)).startsWith("mainstay.")) {
                    inCode.add((String) f.get(null));
                }
            }
        }
        for (JobDefinition job : JobCatalogue.ALL) {
            inCode.add(job.scheduleKey());
            inCode.add(job.enabledKey());
        }
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        Set<String> inDoc = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| `(mainstay\\.[a-z0-9.-]+)` \\|", Pattern.MULTILINE).matcher(doc);
        while (m.find()) {
            inDoc.add(m.group(1));
        }
        assertEquals(inCode, inDoc, "keys in code vs. rows in docs/configuration.md");
    }
}
