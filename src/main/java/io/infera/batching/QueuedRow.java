package io.infera.batching;

/**
 * A row waiting in a batcher's queue, with what the planner needs: its bucket, length and arrival.
 *
 * @param request  the request it belongs to
 * @param index    its position among the request's rows
 * @param row      the row itself
 * @param bucket   its shape bucket
 * @param enqueuedNanos when it arrived
 */
record QueuedRow(PendingRequest request, int index, Row row, int bucket, long enqueuedNanos) {

    int length() {
        return row.length();
    }

    boolean abandoned() {
        return request.isDone();
    }
}
