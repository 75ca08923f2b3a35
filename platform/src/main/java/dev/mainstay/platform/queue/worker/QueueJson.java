package dev.mainstay.platform.queue.worker;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mainstay.queue.engine.Decision;
import dev.mainstay.queue.engine.MergeQueue;
import dev.mainstay.queue.engine.QueueEvent;

/**
 * A queue's {@linkplain MergeQueue.State state}, its events and its decisions as JSON, the form they
 * are stored in: the engine stays free of any serialization, so the type names of events and
 * decisions are given here, once. Unknown properties are refused: a state written by a newer
 * appliance must not be half-read by an older one.
 */
public final class QueueJson {

    private static final ObjectMapper JSON = JsonMapper.builder()
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .addMixIn(QueueEvent.class, EventTypes.class)
        .addMixIn(Decision.class, DecisionTypes.class)
        .build();

    private QueueJson() {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = QueueEvent.Enqueue.class, name = "enqueue"),
        @JsonSubTypes.Type(value = QueueEvent.Remove.class, name = "remove"),
        @JsonSubTypes.Type(value = QueueEvent.ChangePriority.class, name = "change_priority"),
        @JsonSubTypes.Type(value = QueueEvent.PullRequestUpdated.class, name = "pull_request_updated"),
        @JsonSubTypes.Type(value = QueueEvent.PullRequestClosed.class, name = "pull_request_closed"),
        @JsonSubTypes.Type(value = QueueEvent.CandidateBuilt.class, name = "candidate_built"),
        @JsonSubTypes.Type(value = QueueEvent.CandidateConflict.class, name = "candidate_conflict"),
        @JsonSubTypes.Type(value = QueueEvent.TestFinished.class, name = "test_finished"),
        @JsonSubTypes.Type(value = QueueEvent.Merged.class, name = "merged"),
        @JsonSubTypes.Type(value = QueueEvent.MergeRefused.class, name = "merge_refused"),
        @JsonSubTypes.Type(value = QueueEvent.TargetMoved.class, name = "target_moved"),
        @JsonSubTypes.Type(value = QueueEvent.FlakinessChanged.class, name = "flakiness_changed"),
        @JsonSubTypes.Type(value = QueueEvent.Pause.class, name = "pause"),
        @JsonSubTypes.Type(value = QueueEvent.Drain.class, name = "drain"),
        @JsonSubTypes.Type(value = QueueEvent.Resume.class, name = "resume"),
        @JsonSubTypes.Type(value = QueueEvent.Tick.class, name = "tick")})
    private interface EventTypes {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Decision.StartTest.class, name = "start_test"),
        @JsonSubTypes.Type(value = Decision.CancelTest.class, name = "cancel_test"),
        @JsonSubTypes.Type(value = Decision.Merge.class, name = "merge"),
        @JsonSubTypes.Type(value = Decision.Dequeue.class, name = "dequeue"),
        @JsonSubTypes.Type(value = Decision.UpdateStatus.class, name = "update_status"),
        @JsonSubTypes.Type(value = Decision.Drained.class, name = "drained")})
    private interface DecisionTypes {
    }

    /** {@code state} as JSON. */
    public static String write(MergeQueue.State state) {
        return text(JSON.writer(), state);
    }

    /** A state {@link #write} wrote. @throws IllegalArgumentException when it is not one */
    public static MergeQueue.State state(String json) {
        return read(json, MergeQueue.State.class);
    }

    /** {@code event} as JSON. */
    public static String write(QueueEvent event) {
        return text(JSON.writerFor(QueueEvent.class), event);
    }

    /** An event {@link #write(QueueEvent)} wrote. @throws IllegalArgumentException when it is not one */
    public static QueueEvent event(String json) {
        return read(json, QueueEvent.class);
    }

    /** {@code decision} as JSON. */
    public static String write(Decision decision) {
        return text(JSON.writerFor(Decision.class), decision);
    }

    /** A decision {@link #write(Decision)} wrote. @throws IllegalArgumentException when it is not one */
    public static Decision decision(String json) {
        return read(json, Decision.class);
    }

    private static String text(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a queue value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a stored queue " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
