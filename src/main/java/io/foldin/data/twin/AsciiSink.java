package io.foldin.data.twin;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A big byte buffer in front of a file channel, with hand-rolled decimal formatting: 32M CSV rows
 * through {@code String.format} or a {@code Writer} would cost more than generating them.
 * Callers reserve room for a whole row with {@link #room}, then put without further checks.
 */
final class AsciiSink implements Closeable {
    private final FileChannel channel;
    private final byte[] buf;
    private final ByteBuffer wrapped;
    private int pos;

    AsciiSink(Path path, int capacity) throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        buf = new byte[capacity];
        wrapped = ByteBuffer.wrap(buf);
    }

    /** Makes sure {@code n} more bytes fit in the buffer. */
    AsciiSink room(int n) throws IOException {
        if (pos + n > buf.length) {
            flush();
            if (n > buf.length) {
                throw new IllegalArgumentException(n + " bytes do not fit a " + buf.length + " B buffer");
            }
        }
        return this;
    }

    AsciiSink put(byte b) {
        buf[pos++] = b;
        return this;
    }

    AsciiSink put(byte[] bytes) {
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    /** Decimal digits of a non-negative number. */
    AsciiSink putDecimal(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative: " + v);
        }
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int p = end - 1; p >= pos; p--) {
            buf[p] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        pos = end;
        return this;
    }

    void flush() throws IOException {
        wrapped.clear().limit(pos);
        while (wrapped.hasRemaining()) {
            channel.write(wrapped);
        }
        pos = 0;
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }
}
