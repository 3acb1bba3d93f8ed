package io.foldin.data.twin;

import io.foldin.data.RatingLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A deliberately independent, test-only reader of the ml-32m CSV layout, to check what the writer wrote. */
final class TwinCsv {
    private TwinCsv() {
    }

    static RatingLog readRatings(Path path) throws IOException {
        RatingLog log = new RatingLog();
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.US_ASCII)) {
            String header = in.readLine();
            if (!"userId,movieId,rating,timestamp".equals(header)) {
                throw new IOException("header " + header);
            }
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",", -1);
                if (f.length != 4) {
                    throw new IOException("row " + line);
                }
                log.add(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Float.parseFloat(f[2]), Long.parseLong(f[3]));
            }
        }
        return log;
    }

    /** Rows of an RFC 4180 file (quoted fields, doubled quotes), header included. */
    static List<List<String>> readRfc4180(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int j = 0; j < text.length(); j++) {
            char c = text.charAt(j);
            if (quoted) {
                if (c == '"' && j + 1 < text.length() && text.charAt(j + 1) == '"') {
                    field.append('"');
                    j++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                if (field.length() > 0) {
                    throw new IOException("quote inside an unquoted field at char " + j);
                }
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (quoted || field.length() > 0 || !row.isEmpty()) {
            throw new IOException("file does not end with a complete row");
        }
        return rows;
    }
}
