package dev.mainstay.platform.queue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mainstay.queue.engine.MergeMethod;
import dev.mainstay.queue.engine.QueueSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A repository branch's queue settings as people write them: over the defaults, every mistake named by its key. */
class QueueConfigTest {

    private static final QueueConfig DEFAULTS = QueueConfig.of(QueueSettings.DEFAULTS);

    @Test
    void keys_left_out_keep_the_defaults_and_the_effective_settings_read_back_the_same() {
        QueueConfig config = QueueConfig.read("""
            {"concurrency": 3, "batch_max_wait_minutes": 2.5, "anti_flake": false, "merge_method": "squash",
             "required_checks": ["ci/build", " ci/test ", "ci/build"], "lanes": {"web": ["web/**"], "api": ["api/**"]}}""", DEFAULTS);

        assertEquals(3, config.engine().concurrency());
        assertEquals(Duration.ofSeconds(150), config.engine().batchMaxWait());
        assertEquals(false, config.engine().antiFlake());
        assertEquals(QueueSettings.DEFAULTS.batchSize(), config.engine().batchSize(), "left out: the default");
        assertEquals(MergeMethod.SQUASH, config.mergeMethod());
        assertEquals(List.of("ci/build", "ci/test"), config.requiredChecks(), "trimmed, each once");
        assertEquals(java.util.Set.of("web"), config.lanes().targets(java.util.Optional.of(List.of("web/index.html"))));
        assertEquals(config, QueueConfig.read(config.json(), DEFAULTS), "the effective settings read back as themselves");
        assertEquals(DEFAULTS, QueueConfig.read("{}", DEFAULTS));
    }

    @Test
    void each_mistake_is_named_by_its_key() {
        assertProblem("{\"concurency\": 3}", "unknown key 'concurency'");
        assertProblem("{\"concurrency\": 0}", "concurrency must be between 1 and 1000: 0");
        assertProblem("{\"batch_size\": 2.5}", "batch_size must be a whole number: 2.5");
        assertProblem("{\"bisect\": \"yes\"}", "bisect must be a number or true/false, not \"yes\"");
        assertProblem("{\"merge_method\": \"fast-forward\"}", "merge_method must be \"merge\", \"squash\" or \"rebase\"");
        assertProblem("{\"required_checks\": \"ci/build\"}", "required_checks must be a list");
        assertProblem("{\"required_checks\": [\"\"]}", "required_checks: each is a check's name");
        assertProblem("{\"lanes\": {\"web\": [\"web/[\"]}}", "lanes: target 'web': 'web/[' is not a glob");
        assertProblem("[1]", "queue settings must be a JSON object");
        assertProblem("{\"concurrency\": ", "not valid JSON");
    }

    private static void assertProblem(String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QueueConfig.read(json, DEFAULTS));
        assertEquals(true, e.getMessage().contains(message), e.getMessage());
    }
}
