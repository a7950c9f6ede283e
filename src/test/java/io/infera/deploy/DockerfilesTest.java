package io.infera.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.deploy.Dockerfile.Instruction;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Dockerfiles pass the linter (dockerfile-utils, installed by .ci/run into tools/) and the
 * house rules a linter does not know: pinned base images, a non-root numeric user, models as a
 * volume that the image never writes, exec-form entry points so that SIGTERM reaches the server.
 */
class DockerfilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda", "Dockerfile.native", "Dockerfile.models"})
    void passesTheLinter(String file) throws Exception {
        Path linter = OpsTools.require("dockerfile-utils");
        assertEquals(
                "", OpsTools.run(Path.of("."), linter.toString(), "lint", file).strip(), file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda", "Dockerfile.native", "Dockerfile.models"})
    void followsTheHouseRules(String file) throws Exception {
        Dockerfile image = Dockerfile.read(Path.of(file));
        List<String> stageNames = image.all("FROM").stream()
                .map(i -> i.arguments().contains(" AS ")
                        ? i.arguments()
                                .substring(i.arguments().indexOf(" AS ") + 4)
                                .strip()
                        : "")
                .toList();
        for (Instruction from : image.all("FROM")) {
            String base = from.arguments().split("\\s+")[0];
            if (stageNames.contains(base)) {
                continue;
            }
            assertTrue(
                    base.contains(":") && !base.endsWith(":latest"),
                    file + ": base image " + base + " must be pinned to a tag");
        }
        List<Instruction> last = image.finalStage();
        List<Instruction> users =
                last.stream().filter(i -> i.keyword().equals("USER")).toList();
        assertFalse(users.isEmpty(), file + ": the final stage sets USER");
        String user = users.get(users.size() - 1).arguments();
        assertTrue(
                user.matches("[1-9][0-9]*(:[0-9]+)?"),
                file + ": USER " + user + " must be a non-root numeric uid (runAsNonRoot can check it)");
        for (Instruction i : image.instructions()) {
            assertFalse(
                    i.keyword().equals("ADD") && i.arguments().matches("(?s).*https?://.*"), file + ": ADD of a URL");
            if (i.keyword().equals("RUN") && i.arguments().contains("apt-get install")) {
                assertTrue(
                        i.arguments().contains("--no-install-recommends"),
                        file + ": apt-get install --no-install-recommends");
            }
        }
        if (!file.equals("Dockerfile.models")) {
            assertTrue(
                    last.stream()
                            .anyMatch(i -> i.keyword().equals("VOLUME")
                                    && i.arguments().contains("/models")),
                    file + ": VOLUME /models");
            assertTrue(
                    last.stream()
                            .noneMatch(i ->
                                    i.keyword().equals("COPY") && i.arguments().matches(".*\\s/models/?\\S*$")),
                    file + ": models are mounted, never baked into the server image");
            image.entrypoint();
            assertTrue(
                    image.finalStage().stream()
                            .anyMatch(i -> i.keyword().equals("EXPOSE")
                                    && i.arguments().equals("8080")),
                    file + ": EXPOSE 8080");
        }
    }
}
