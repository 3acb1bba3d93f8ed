package io.foldin.stream.event;

/**
 * What {@link RatingEventParser#parse} returns: either a valid {@link RatingEvent} or a {@link Rejection}
 * ({@link InteractionEventParser#parse}: an {@link InteractionEvent} or a {@link Rejection}). Each parser returns
 * only its own event kind or a rejection, so {@code instanceof} on one of them decides the other.
 */
public sealed interface ParseResult permits RatingEvent, InteractionEvent, Rejection {
}
