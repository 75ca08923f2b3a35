package dev.mainstay.platform.queue.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mainstay.platform.queue.worker.QueueRequests;
import dev.mainstay.queue.engine.Priority;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code /mainstay} command lines a pull request comment may hold. */
class GitHubCommandsTest {

    private static QueueRequests.Command command(String verb, Priority priority) {
        return new QueueRequests.Command(verb, Optional.ofNullable(priority));
    }

    private static final QueueRequests.Command INVALID = command("", null);

    @Test
    void each_command_line_is_read_in_order_and_other_lines_are_ignored() {
        assertEquals(List.of(command("merge", null), command("priority", Priority.URGENT), command("cancel", null)),
            GitHubIntake.commands("Looks good.\r\n/mainstay merge\n  /MAINSTAY priority Urgent\n/mainstay cancel"));
        assertEquals(List.of(command("merge", Priority.HIGH)), GitHubIntake.commands("/mainstay merge high"));
        assertEquals(List.of(), GitHubIntake.commands("Mention /mainstay merge mid-sentence is no command\n/mainstayed"));
    }

    @Test
    void a_malformed_command_line_is_recognised_as_one_so_that_it_is_answered_with_the_usage() {
        assertEquals(List.of(INVALID), GitHubIntake.commands("/mainstay"));
        assertEquals(List.of(INVALID), GitHubIntake.commands("/mainstay deploy"));
        assertEquals(List.of(INVALID), GitHubIntake.commands("/mainstay priority"));
        assertEquals(List.of(INVALID), GitHubIntake.commands("/mainstay priority soon"));
        assertEquals(List.of(INVALID), GitHubIntake.commands("/mainstay merge now please"));
        assertEquals(List.of(INVALID), GitHubIntake.commands("/mainstay cancel it"));
    }
}
