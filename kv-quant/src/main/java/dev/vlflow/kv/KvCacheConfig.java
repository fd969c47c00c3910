package dev.vlflow.kv;

import java.util.Objects;

/**
 * Configuration of a stream's KV cache.
 *
 * @param policy     precision of the cache (fp32, uniform 16/8/4/2 bits, or mixed by importance)
 * @param pageTokens tokens per page of one layer; a multiple of groupSize
 * @param groupSize  tokens per key quantization group, and channels per value quantization group (KIVI: 32)
 * @param fpWindow   most recent tokens kept in fp32 (KIVI's residual R: 128)
 */
public record KvCacheConfig(PrecisionPolicy policy, int pageTokens, int groupSize, int fpWindow) {

    public static final int DEFAULT_PAGE_TOKENS = 256;
    public static final int DEFAULT_GROUP_SIZE = 32;
    public static final int DEFAULT_FP_WINDOW = 128;

    public KvCacheConfig {
        Objects.requireNonNull(policy, "policy");
        if (groupSize <= 0 || pageTokens <= 0 || pageTokens % groupSize != 0) {
            throw new IllegalArgumentException("pageTokens (" + pageTokens + ") must be a positive multiple of "
                    + "groupSize (" + groupSize + ")");
        }
        if (fpWindow < 0) {
            throw new IllegalArgumentException("fpWindow must be >= 0, got " + fpWindow);
        }
    }

    /** The policy with default page size (256), group size (32) and fp32 window (128). */
    public static KvCacheConfig of(PrecisionPolicy policy) {
        return new KvCacheConfig(policy, DEFAULT_PAGE_TOKENS, DEFAULT_GROUP_SIZE, DEFAULT_FP_WINDOW);
    }
}
