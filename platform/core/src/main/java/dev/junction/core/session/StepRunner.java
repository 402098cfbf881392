package dev.junction.core.session;

import dev.junction.core.protocol.ResponseTracker;
import dev.junction.core.protocol.ServerErrorException;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.Consumer;

/** Runs internal steps one after the other on a ready server connection, stopping at the first error. */
public final class StepRunner {

    private StepRunner() {
    }

    /**
     * Runs {@code steps}, then {@code then}. On an ERR answer {@code onError} gets a {@link ServerErrorException};
     * on a broken connection, the cause.
     */
    public static void run(ServerConnection sc, List<InternalStep> steps, Consumer<Throwable> onError, Runnable then) {
        next(sc, steps, 0, onError, then);
    }

    private static void next(ServerConnection sc, List<InternalStep> steps, int i, Consumer<Throwable> onError,
            Runnable then) {
        if (i == steps.size()) {
            then.run();
            return;
        }
        InternalStep step = steps.get(i);
        sc.send(step.payload().apply(sc.channel().alloc()), step.kind(), new ResponseHandler() {
            @Override
            public void onFrames(ServerConnection server, ByteBuf frames) {
                frames.release();
            }

            @Override
            public void onComplete(ServerConnection server, ResponseTracker tracker) {
                if (tracker.error() != null) {
                    onError.accept(new ServerErrorException(tracker.error()));
                    return;
                }
                step.onSuccess().accept(server, tracker);
                next(server, steps, i + 1, onError, then);
            }

            @Override
            public void onFailure(ServerConnection server, Throwable cause) {
                onError.accept(cause);
            }
        });
    }
}
