package dev.mainstay.platform.queue.forge;

import java.util.Optional;

/** The code host of each repository the appliance serves. */
@FunctionalInterface
public interface Forges {

    /** No code host configured. */
    Forges NONE = repository -> Optional.empty();

    /** The code host of {@code repository} ({@code owner/name}); empty when none is configured. */
    Optional<Forge> forRepository(String repository);
}
