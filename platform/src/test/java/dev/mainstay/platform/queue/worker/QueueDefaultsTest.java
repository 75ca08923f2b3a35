package dev.mainstay.platform.queue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.app.ApplianceConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** The merge queues' appliance-wide settings, and which org sees which repositories' queues. */
class QueueDefaultsTest {

    private static QueueDefaults read(Map<String, String> values) {
        Config config = ApplianceConfig.build(ApplianceConfig.source("test", values, 900));
        return QueueDefaults.from(config);
    }

    @Test
    void an_org_sees_the_github_owner_of_its_own_name_unless_it_is_mapped_to_others() {
        QueueDefaults none = read(Map.of());
        assertEquals(List.of(), none.problems());
        assertEquals(Duration.ofMinutes(10), none.batchMaxWait());
        assertEquals("mainstay-merge", none.mergeLabel());
        assertTrue(none.sees("acme", "Acme/web"), "GitHub owners are case-insensitive");
        assertFalse(none.sees("acme", "acme-labs/web"));

        QueueDefaults mapped = read(Map.of(QueueDefaults.ORG_OWNERS, "platform:acme, platform:Acme-Labs,mobile:acme-mobile"));
        assertEquals(List.of(), mapped.problems());
        assertEquals(Set.of("acme", "acme-labs"), mapped.ownersOf("platform"));
        assertTrue(mapped.sees("platform", "acme-labs/api"));
        assertFalse(mapped.sees("mobile", "acme/web"), "a mapped org sees only the owners it is mapped to");
        assertTrue(mapped.sees("globex", "globex/site"), "an org not mapped keeps its own name");
        assertFalse(mapped.sees("platform", "no-slash"));
    }

    @Test
    void each_bad_setting_is_named_with_what_it_should_be() {
        assertEquals(List.of(
                "mainstay.queue.org-owners: 'platform=acme' is not org:github-owner, e.g. platform:acme",
                "mainstay.queue.batch-max-wait must be a duration from 0s to 24h, e.g. 10m"),
            read(Map.of(QueueDefaults.ORG_OWNERS, "platform=acme", QueueDefaults.BATCH_MAX_WAIT, "forever")).problems());
    }
}
