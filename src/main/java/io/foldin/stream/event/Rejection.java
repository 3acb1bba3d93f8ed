package io.foldin.stream.event;

import java.util.Objects;

/**
 * Why an event was refused: a stable machine-readable {@link Reason} (its {@link Reason#code()} goes to the DLQ
 * header and to metrics) and a message for the person reading the dead-letter queue. The message never embeds
 * more than a short excerpt of the input, so it stays small whatever was sent.
 */
public record Rejection(Reason reason, String message) implements ParseResult {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    /** The reason's stable snake_case code. */
    public String code() {
        return reason.code();
    }
}
