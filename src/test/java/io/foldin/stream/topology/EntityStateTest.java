package io.foldin.stream.topology;

import io.foldin.model.PackedGram;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The stored form of a user's or item's statistics: float32 G and h, the float64 layout still read. */
class EntityStateTest {
    private static final int D = 20;

    private static EntityState sample(long seed) {
        Random rnd = new Random(seed);
        EntityState s = new EntityState(D);
        float[] y = new float[D + 1];
        double[] tmp = new double[D + 1];
        for (int k = 0; k < 300; k++) {
            for (int a = 0; a < D; a++) {
                y[a] = (float) rnd.nextGaussian();
            }
            y[D] = 1f;
            s.stats().change(y, 0, 0.5f * (1 + rnd.nextInt(10)), Float.NaN, 3.5, tmp);
        }
        for (int a = 0; a <= D; a++) {
            s.factor()[a] = (float) rnd.nextGaussian();
        }
        return s;
    }

    @Test
    void storedStatisticsAreTheFloat32RoundingOfTheSums() {
        EntityState s = sample(1);
        byte[] raw = s.encode();
        assertEquals(EntityState.size(D), raw.length);
        assertEquals(1_100, raw.length, "D = 20");
        EntityState back = EntityState.decode(raw, D);
        assertEquals(s.count(), back.count());
        assertArrayEquals(s.factor(), back.factor(), 0f);
        double[] g = s.stats().gram();
        for (int i = 0; i < g.length; i++) {
            assertEquals((float) g[i], back.stats().gram()[i], 0.0, "G[" + i + "]");
            assertEquals(g[i], back.stats().gram()[i], 1e-7 * Math.abs(g[i]), "G[" + i + "] relative");
        }
        double[] h = s.stats().target();
        for (int i = 0; i < h.length; i++) {
            assertEquals((float) h[i], back.stats().target()[i], 0.0, "h[" + i + "]");
        }
    }

    @Test
    void roundingInMemoryMakesItEqualToWhatWasStored() {
        EntityState s = sample(2);
        byte[] raw = s.encode();
        s.roundToStored();
        EntityState back = EntityState.decode(raw, D);
        assertArrayEquals(back.stats().gram(), s.stats().gram(), 0.0);
        assertArrayEquals(back.stats().target(), s.stats().target(), 0.0);
        assertArrayEquals(raw, s.encode(), "a rounded state encodes to the same bytes");
    }

    @Test
    void aStateWrittenInFloat64IsReadExactly() {
        EntityState s = sample(3);
        int n = D + 1;
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * n + 8 * PackedGram.size(n) + 8 * n);
        b.putLong(s.count());
        for (float f : s.factor()) {
            b.putFloat(f);
        }
        for (double v : s.stats().gram()) {
            b.putDouble(v);
        }
        for (double v : s.stats().target()) {
            b.putDouble(v);
        }
        assertEquals(2_108, b.capacity(), "the float64 layout at D = 20");
        EntityState back = EntityState.decode(b.array(), D);
        assertEquals(s.count(), back.count());
        assertArrayEquals(s.factor(), back.factor(), 0f);
        assertArrayEquals(s.stats().gram(), back.stats().gram(), 0.0);
        assertArrayEquals(s.stats().target(), back.stats().target(), 0.0);
    }

    @Test
    void aStateOfAnotherDimensionIsRejected() {
        byte[] raw = sample(4).encode();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntityState.decode(raw, 10));
        assertEquals(true, e.getMessage().contains("D=10"), e.getMessage());
    }
}
