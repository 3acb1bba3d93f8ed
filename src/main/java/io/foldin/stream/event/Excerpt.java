package io.foldin.stream.event;

import java.nio.charset.StandardCharsets;

/** Short, printable excerpts of untrusted input for rejection messages, so a DLQ header stays small. */
final class Excerpt {

    static final int MAX_CHARS = 64;

    private Excerpt() {
    }

    static String of(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 3);
        int i = 0;
        for (; i < s.length() && out.length() < MAX_CHARS; i++) {
            char c = s.charAt(i);
            // Control characters would garble a terminal or a log line: show them escaped.
            out.append(c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        if (i < s.length()) {
            out.append("...");
        }
        return out.toString();
    }

    static String of(byte[] b) {
        int n = Math.min(b.length, MAX_CHARS * 4);
        // Malformed bytes decode to U+FFFD; good enough for a message.
        return of(new String(b, 0, n, StandardCharsets.UTF_8)) + (n < b.length ? "..." : "");
    }
}
