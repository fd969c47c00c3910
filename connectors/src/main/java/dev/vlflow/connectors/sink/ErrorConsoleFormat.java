package dev.vlflow.connectors.sink;

import dev.vlflow.connectors.events.PipelineError;

/** Dead letters, one line each. */
public final class ErrorConsoleFormat implements ConsoleFormat<PipelineError> {

    private static final long serialVersionUID = 1L;

    @Override
    public Renderer<PipelineError> renderer() {
        return e -> "dead letter " + e.getKind() + " at " + e.getStage()
                + (e.getStreamId() == null ? "" : " [" + e.getStreamId() + "]") + ": " + e.getReason()
                + " (" + e.getInput() + ")\n";
    }
}
