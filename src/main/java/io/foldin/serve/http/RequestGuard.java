package io.foldin.serve.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks a raw request target before routing. Vert.x decodes the path and query while routing and
 * fails with a bare 500 on a malformed escape ("%zz"), and it removes dot segments, so
 * {@code /items/..} would quietly become {@code /}. Targets like these are client errors: they get a
 * 400 here and never reach the router.
 */
final class RequestGuard {
    private RequestGuard() {
    }

    /** What is wrong with the request target, or null when it is fine to route. */
    static String problem(String uri) {
        if (uri == null || uri.isEmpty() || uri.charAt(0) != '/') {
            return "the request target must be an absolute path";
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return "dot segments are not allowed in the path";
            }
        }
        if (!escapesDecode(path) || (q >= 0 && !escapesDecode(uri.substring(q + 1)))) {
            return "malformed percent-encoding (each % needs two hex digits forming UTF-8)";
        }
        return null;
    }

    /** Every %XX is two hex digits, and the bytes they form are well-formed UTF-8. */
    private static boolean escapesDecode(String s) {
        ByteBuffer bytes = ByteBuffer.allocate(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    return false;
                }
                bytes.put((byte) (Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16)));
                i += 2;
            } else if (c < 0x20 || c > 0x7e) {
                return false;
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
