package io.foldin.serve.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client over a socket, for requests no well-behaved client would send (request
 * targets with malformed escapes, bodies larger than the limit). One request per connection.
 */
final class RawHttp {
    /** @param status 0 when the server closed the connection without an answer */
    record Response(int status, String contentType, String body, boolean writeFailed) {
    }

    private RawHttp() {
    }

    static Response send(int port, String method, String target, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            boolean writeFailed = false;
            try {
                OutputStream out = s.getOutputStream();
                String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                        + (body.length > 0 || method.equals("POST") ? "Content-Length: " + body.length + "\r\n" : "")
                        + "\r\n";
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // The server may answer (413) and close before it has read an oversized body.
                writeFailed = true;
            }
            byte[] raw = readAll(s.getInputStream());
            return parse(raw, writeFailed);
        }
    }

    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
            }
        } catch (IOException e) {
            // a reset after the answer: keep what arrived
        }
        return b.toByteArray();
    }

    private static Response parse(byte[] raw, boolean writeFailed) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Response(0, "", text, writeFailed);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String type = "";
        boolean chunked = false;
        for (String line : text.substring(0, end).split("\r\n")) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.startsWith("content-type:")) {
                type = line.substring(13).trim();
            } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                chunked = true;
            }
        }
        String body = text.substring(end + 4);
        if (chunked) {
            StringBuilder b = new StringBuilder();
            int p = 0;
            while (p < body.length()) {
                int eol = body.indexOf("\r\n", p);
                int size = Integer.parseInt(body.substring(p, eol).trim(), 16);
                if (size == 0) {
                    break;
                }
                b.append(body, eol + 2, eol + 2 + size);
                p = eol + 2 + size + 2;
            }
            body = b.toString();
        }
        return new Response(status, type, body, writeFailed);
    }
}
