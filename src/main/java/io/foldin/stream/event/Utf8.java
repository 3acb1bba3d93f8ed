package io.foldin.stream.event;

/**
 * Strict UTF-8 well-formedness check (RFC 3629): no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF, no truncated sequences. Done before JSON parsing because Jackson only decodes the strings it is
 * asked for: bad bytes inside a skipped unknown field would otherwise pass through to the DLQ reader and to
 * anything that re-reads the topic with a stricter decoder.
 */
final class Utf8 {

    private Utf8() {
    }

    /** The index of the first byte that starts an ill-formed sequence, or -1 when all of {@code b} is well-formed. */
    static int firstInvalid(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i];
            if (c >= 0) { // ASCII, the common case
                i++;
                continue;
            }
            c &= 0xFF;
            int len;
            int min2 = 0x80; // allowed range of the second byte; narrowed below to exclude overlongs and surrogates
            int max2 = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                len = 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                len = 3;
                if (c == 0xE0) {
                    min2 = 0xA0;
                } else if (c == 0xED) {
                    max2 = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4;
                if (c == 0xF0) {
                    min2 = 0x90;
                } else if (c == 0xF4) {
                    max2 = 0x8F;
                }
            } else {
                return i; // continuation byte without a lead, 0xC0/0xC1 (overlong) or 0xF5..0xFF
            }
            if (i + len > n) {
                return i;
            }
            int b2 = b[i + 1] & 0xFF;
            if (b2 < min2 || b2 > max2) {
                return i;
            }
            for (int k = 2; k < len; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += len;
        }
        return -1;
    }
}
