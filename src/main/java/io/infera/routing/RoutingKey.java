package io.infera.routing;

import java.nio.charset.StandardCharsets;

/**
 * A client's routing key (a user or session id) to a bucket: the same key lands in the same bucket
 * on every replica and after every restart: a fixed hash of the key's UTF-8 bytes ({@code
 * String.hashCode} is fixed too, but weak in the low bits a bucket is taken from).
 */
public final class RoutingKey {

    /** The request header that carries a routing key. */
    public static final String HEADER = "X-Routing-Key";

    /** The longest key taken: longer ones are refused rather than hashed (a header is no place for a body). */
    public static final int MAX_LENGTH = 256;

    private RoutingKey() {}

    /** A bucket in {@code [0, buckets)}. */
    public static long bucket(String key, long buckets) {
        return Long.remainderUnsigned(hash(key), buckets);
    }

    /** FNV-1a over the UTF-8 bytes, then a 64-bit finaliser so that every bit depends on every byte. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
