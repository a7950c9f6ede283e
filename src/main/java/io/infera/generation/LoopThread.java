package io.infera.generation;

import java.time.Duration;

/**
 * The thread of a generation loop: started once; {@link #close} asks the loop to finish what it
 * holds, and interrupts it when it overruns the grace period. The loop reads {@link #closing()}
 * (take no more work) and {@link #aborted()} (stop now).
 */
final class LoopThread {

    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean aborted;

    LoopThread(String name, Runnable loop) {
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(loop);
    }

    void start() {
        thread.start();
    }

    boolean closing() {
        return closing;
    }

    boolean aborted() {
        return aborted;
    }

    /** Lets the loop drain for at most {@code grace}, then stops it. */
    void close(Duration grace) {
        closing = true;
        if (thread.getState() == Thread.State.NEW) {
            thread.start(); // it fails what is queued and ends
        }
        try {
            thread.join(grace);
            if (thread.isAlive()) {
                aborted = true;
                thread.interrupt();
                thread.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
