package io.foldin.stream.event;

/**
 * What {@link RatingEventParser#parse} returns: either a valid {@link RatingEvent} or a {@link Rejection}. The two
 * cases are the only implementations, so {@code instanceof} on one of them decides the other.
 */
public sealed interface ParseResult permits RatingEvent, Rejection {
}
