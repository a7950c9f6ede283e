package io.infera.testing;

import io.infera.processing.audio.FfmpegDecoder;
import org.junit.jupiter.api.Assumptions;

/** Which test audio files the server can decode here: WAV always, the rest through ffmpeg. */
public final class AudioFiles {

    /** The server's infera.audio.ffmpeg is auto: it uses ffmpeg when there is one on the PATH. */
    public static final boolean HAS_FFMPEG = FfmpegDecoder.onPath().isPresent();

    private AudioFiles() {}

    /** Skips the case (rather than failing it) where ffmpeg would decode the file and is missing. */
    public static void assumeDecodable(String file) {
        Assumptions.assumeTrue(file.endsWith(".wav") || HAS_FFMPEG, "ffmpeg decodes " + file + " and is not installed");
    }

    /** A reference case whose input names a test recording: the server's answer equals the reference. */
    public static void assertAnswersAsTheReference(ReferenceCase c) {
        String file = c.inputs().asText();
        assumeDecodable(file);
        JsonMatch.assertMatches(
                c.expected(),
                HttpPredict.fileOrJson(c.model(), TestModels.AUDIO.resolve(file), c.parameters()),
                JsonMatch.SCORE_TOLERANCE);
    }
}
