package io.foldin.serve.http;

/**
 * Where loading the bundled sample stands ({@code FoldinService.loadSample}); readiness waits for it
 * to be swept. {@link #NONE} when no sample is loaded.
 */
public final class SampleStatus {
    public enum State { NONE, LOADING, SWEPT, FAILED }

    private volatile State state = State.NONE;

    public State state() {
        return state;
    }

    public void set(State s) {
        state = s;
    }
}
