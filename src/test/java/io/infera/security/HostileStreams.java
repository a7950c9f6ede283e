package io.infera.security;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** The streams the hostile-input suite opens. */
final class HostileStreams {

    private HostileStreams() {}

    static Arbitrary<HostileStream> all() {
        Arbitrary<String> model = Arbitraries.of(
                "tiny-wav2vec2-ctc",
                "tiny-wav2vec2-ctc",
                "tiny-whisper",
                "tiny-bert-sentiment",
                "nope",
                "",
                "..%2F..%2Fetc");
        Arbitrary<String> rate = Arbitraries.of("16000", "8000", "44100", "0", "-1", "x", "96001", "1e9", "");
        Arbitrary<String> encoding = Arbitraries.of("pcm16", "f32", "mp3", "", "PCM16", "ogg", "wav");
        Arbitrary<String> extra = Arbitraries.of("", "", "", "&colour=red", "&model=x");
        Arbitrary<String> query = Combinators.combine(model, rate, encoding, extra)
                .as((m, r, e, x) -> "model=" + m + (r.isEmpty() ? "" : "&sample_rate=" + r)
                        + (e.isEmpty() ? "" : "&encoding=" + e) + x);
        Arbitrary<Object> message = Arbitraries.oneOf(
                Arbitraries.bytes()
                        .array(byte[].class)
                        .ofMinSize(0)
                        .ofMaxSize(3000)
                        .map(b -> (Object) b),
                Arbitraries.integers().between(1, 4000).map(n -> (Object) new byte[n * 2 + 1]),
                Arbitraries.integers().between(1, 100).map(n -> (Object) nanFloats(n)),
                Arbitraries.just((Object) new byte[40_000]),
                Arbitraries.integers().between(100, 16000).map(n -> (Object) noise(n)),
                Arbitraries.strings().ofMaxLength(200).map(s -> (Object) s),
                Arbitraries.of("{\"type\": \"start\"}", "{}", "[]", "{\"type\": 5}")
                        .map(s -> (Object) s));
        return Combinators.combine(query, message.list().ofMinSize(0).ofMaxSize(5))
                .as(HostileStream::new);
    }

    private static byte[] nanFloats(int n) {
        ByteBuffer out = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            out.putFloat(i % 3 == 0 ? Float.NaN : i % 3 == 1 ? Float.POSITIVE_INFINITY : 0.5f);
        }
        return out.array();
    }

    /** Loud noise as PCM16 (or, read as float32, whatever those bytes are). */
    private static byte[] noise(int samples) {
        ByteBuffer out = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        java.util.Random random = new java.util.Random(samples);
        for (int i = 0; i < samples; i++) {
            out.putShort((short) (random.nextGaussian() * 6000));
        }
        return out.array();
    }
}
