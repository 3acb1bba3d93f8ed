package io.foldin.serve.http;

import java.util.function.LongSupplier;

/**
 * Events per second of a monotone counter, from two samples a tick apart: {@code (n_t − n_{t−1}) /
 * (t − (t−1))}. {@link #tick} is called on a timer; readers get the last complete interval's rate.
 */
final class RateMeter {
    private final LongSupplier counter;
    private long lastCount;
    private long lastNanos;
    private volatile double rate;

    RateMeter(LongSupplier counter, long nowNanos) {
        this.counter = counter;
        this.lastCount = counter.getAsLong();
        this.lastNanos = nowNanos;
    }

    synchronized void tick(long nowNanos) {
        long n = counter.getAsLong();
        long dt = nowNanos - lastNanos;
        if (dt > 0) {
            rate = (n - lastCount) * 1e9 / dt;
        }
        lastCount = n;
        lastNanos = nowNanos;
    }

    double perSecond() {
        return rate;
    }
}
