package io.infera.api.stream;

/** The WebSocket close codes a stream ends with (RFC 6455), each sent with a reason naming the limit. */
enum CloseCode {
    /** The client said stop and every utterance was answered. */
    NORMAL(1000),
    /** The server is going away, or the stream sent nothing for the idle timeout. */
    GOING_AWAY(1001),
    /** A frame or message broke the protocol or a limit (rate, length, format). */
    POLICY(1008),
    /** A frame larger than the limit. */
    TOO_BIG(1009),
    /** Recognition failed on the server. */
    SERVER_ERROR(1011),
    /** The model serves as many streams as it may: try again later. */
    TRY_LATER(1013);

    private final short code;

    CloseCode(int code) {
        this.code = (short) code;
    }

    short code() {
        return code;
    }
}
