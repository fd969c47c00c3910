package dev.vlflow.vision.decode;

import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A stream's time base {@code num/den} seconds per tick, and conversions between ticks and microseconds, rounded
 * to nearest (halves away from zero) as FFmpeg's {@code av_rescale_q} does.
 */
public record Clock(long num, long den) {

    private static final long MICROS = 1_000_000L;

    public Clock {
        if (num <= 0 || den <= 0) {
            throw new IllegalArgumentException("time base must be positive: " + num + "/" + den);
        }
    }

    /** {@code ticks · num/den} seconds in microseconds. */
    public long micros(long ticks) {
        return rescale(ticks, num * MICROS, den);
    }

    /** Microseconds in ticks. */
    public long ticks(long micros) {
        return rescale(micros, den, num * MICROS);
    }

    private static long rescale(long value, long multiplier, long divisor) {
        long high = Math.multiplyHigh(value, multiplier);
        long product = value * multiplier;
        if ((high == 0 && product >= 0) || (high == -1 && product < 0)) {
            long half = divisor / 2;
            return product >= 0 ? (product + half) / divisor : -((-product + half) / divisor);
        }
        return new java.math.BigDecimal(BigInteger.valueOf(value).multiply(BigInteger.valueOf(multiplier)))
                .divide(new java.math.BigDecimal(divisor), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
