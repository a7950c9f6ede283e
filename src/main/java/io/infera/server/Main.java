package io.infera.server;

import io.infera.offline.ScoreCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The jar's entry: {@code score ...} scores a file offline without starting the server (see
 * io.infera.offline.ScoreCommand); anything else runs the server until it is stopped.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("score")) {
            System.exit(ScoreCommand.run(Arrays.copyOfRange(args, 1, args.length), System.err));
        }
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }
}
