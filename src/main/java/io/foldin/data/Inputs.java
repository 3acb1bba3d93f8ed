package io.foldin.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/** Opening data files: gzip is recognised by its magic bytes, not by the name. */
final class Inputs {
    private static final int GZIP_BUFFER = 1 << 16;

    private Inputs() {
    }

    /** True when the file starts with the gzip magic bytes 1f 8b. */
    static boolean isGzip(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(2);
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // a short read is possible on some file systems; loop until two bytes or EOF
            }
            return head.position() == 2 && (head.get(0) & 0xff) == 0x1f && (head.get(1) & 0xff) == 0x8b;
        }
    }

    /** The file's bytes, decompressed when it is gzip. */
    static InputStream open(Path file) throws IOException {
        return decompressed(Files.newInputStream(file));
    }

    /** {@code in}, decompressed when its first bytes are the gzip magic 1f 8b. */
    static InputStream decompressed(InputStream in) throws IOException {
        PushbackInputStream pushback = new PushbackInputStream(in, 2);
        byte[] head = pushback.readNBytes(2);
        pushback.unread(head);
        boolean gzip = head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        return gzip ? new GZIPInputStream(new BufferedInputStream(pushback, GZIP_BUFFER), GZIP_BUFFER) : pushback;
    }

    /**
     * Estimated line count of a file, or -1 when there is no good guess. Used to size a new log once
     * instead of growing it, which briefly needs 2.5 times the memory. An uncompressed file is
     * sampled at 64 places (sorted files have shorter lines at the start, where ids are small).
     */
    static long estimateLines(Path file) throws IOException {
        if (isGzip(file)) {
            return estimateGzipLines(file);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int samples = 64;
            int sampleBytes = 1 << 16;
            if (size <= (long) samples * sampleBytes) {
                samples = 1;
                sampleBytes = (int) size;
            }
            ByteBuffer buf = ByteBuffer.allocate(sampleBytes);
            long bytes = 0;
            long newlines = 0;
            for (int s = 0; s < samples; s++) {
                buf.clear();
                long pos = (size - sampleBytes) / Math.max(1, samples - 1) * s;
                while (buf.hasRemaining() && ch.read(buf, pos + buf.position()) >= 0) {
                    // positional reads may be short; keep going until full or EOF
                }
                bytes += buf.position();
                for (int k = 0; k < buf.position(); k++) {
                    newlines += buf.get(k) == '\n' ? 1 : 0;
                }
            }
            return bytes == 0 ? 0 : (long) Math.ceil((double) size * newlines / bytes) + 1;
        }
    }

    /**
     * Lines of a gzip file from its trailer's uncompressed size (ISIZE, modulo 2^32, of the last
     * member) and the line length in its first MiB. ISIZE is trusted only below 512 MiB compressed:
     * text compresses less than 8:1, so the true size is then below 4 GiB and did not wrap.
     */
    private static long estimateGzipLines(Path file) throws IOException {
        long isize;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 18 || size >= 1L << 29) {
                return -1;
            }
            ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (tail.hasRemaining() && ch.read(tail, size - 4 + tail.position()) >= 0) {
                // positional reads may be short
            }
            isize = tail.getInt(0) & 0xFFFF_FFFFL;
        }
        byte[] head;
        try (InputStream in = open(file)) {
            head = in.readNBytes(1 << 20);
        }
        long newlines = 0;
        for (byte b : head) {
            newlines += b == '\n' ? 1 : 0;
        }
        if (head.length == 0 || isize < head.length) {
            return head.length == 0 ? 0 : -1;
        }
        return (long) Math.ceil((double) isize * newlines / head.length) + 1;
    }
}
