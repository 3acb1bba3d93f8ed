package io.foldin.stream.topology;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;

import java.util.Map;

/**
 * RocksDB settings of every store. The workload is point reads and writes of small keys (stats
 * values ~1.1 KB, ratings 12 B) plus full scans in sweeps: bloom filters make misses (first rating
 * of a user or item) skip the disk; LZ4 halves the ratings store at little CPU, while the statistics
 * (float32 arrays, which it cannot shrink) are stored uncompressed; bigger write
 * buffers mean fewer flushes and compactions under a replay, fewer of them because the statistics
 * stores already write a hot key once per commit ({@link StatsStore}).
 */
public final class RocksDbTuning implements RocksDBConfigSetter {
    private static final long WRITE_BUFFER_BYTES = 32L << 20;
    /**
     * user-ratings takes one 20-byte entry per event: in a 32 MB memtable (~700k entries) the skiplist
     * insert was a quarter of a stream thread's time at 50k events/s; a 4 MB one inserts ~40% faster.
     */
    private static final long SMALL_ENTRY_WRITE_BUFFER_BYTES = 4L << 20;
    private static final long BLOCK_BYTES = 16L << 10;

    private BloomFilter filter;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        filter = new BloomFilter(10, false);
        table.setFilterPolicy(filter);
        table.setBlockSize(BLOCK_BYTES);
        // Held by the table readers, not in the block cache: once the ratings store outgrew the cache, data
        // blocks evicted the filters and every lookup of a new (user, item) pair read them back (user side at
        // 14k instead of 60k+ events/s after ~6M ratings; most lookups are misses, which the filters answer).
        table.setCacheIndexAndFilterBlocks(false);
        options.setTableFormatConfig(table);
        boolean ratings = storeName.equals(Stores.USER_RATINGS);
        options.setWriteBufferSize(ratings ? SMALL_ENTRY_WRITE_BUFFER_BYTES : WRITE_BUFFER_BYTES);
        options.setMaxWriteBufferNumber(3);
        options.setCompressionType(ratings ? CompressionType.LZ4_COMPRESSION : CompressionType.NO_COMPRESSION);
        options.setIncreaseParallelism(2);
    }

    @Override
    public void close(String storeName, Options options) {
        if (filter != null) {
            filter.close();
        }
    }
}
