package io.infera.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What each package may import is written in its package-info.java; these rules hold the ones that
 * matter most. The stages a request passes through after the HTTP layer — registry, tasks,
 * batching, generation, runtime, processing — and the offline scorer import no Quarkus, Jakarta,
 * Vert.x, RESTEasy, Micrometer or SmallRye, so that the same pipelines run in the server, the
 * offline command and a Spark job without pulling the server in.
 */
class PackageBoundariesTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.infera");
    }

    @Test
    void pipelineStagesDoNotDependOnTheServer() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(
                        "io.infera.registry..",
                        "io.infera.tasks..",
                        "io.infera.batching..",
                        "io.infera.generation..",
                        "io.infera.runtime..",
                        "io.infera.processing..",
                        "io.infera.offline..",
                        "io.infera.errors..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..",
                        "jakarta..",
                        "io.vertx..",
                        "org.jboss.resteasy..",
                        "io.micrometer..",
                        "io.smallrye..",
                        "org.eclipse.microprofile..")
                .because("the pipelines run offline and on Spark without the server");
        rule.check(classes);
    }

    @Test
    void pipelineStagesDoNotReachBackIntoTheHttpLayer() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(
                        "io.infera.registry..",
                        "io.infera.tasks..",
                        "io.infera.batching..",
                        "io.infera.generation..",
                        "io.infera.runtime..",
                        "io.infera.processing..",
                        "io.infera.offline..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.infera.api..",
                        "io.infera.server..",
                        "io.infera.config..",
                        "io.infera.health..",
                        "io.infera.metrics..")
                .because("requests flow from the API down, never back up");
        rule.check(classes);
    }

    @Test
    void processingKnowsNothingOfBatchesTasksOrModels() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage("io.infera.processing..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.infera.batching..",
                        "io.infera.tasks..",
                        "io.infera.registry..",
                        "io.infera.generation..",
                        "io.infera.offline..")
                .because("processing turns bytes and text into arrays and back; the tasks make model rows of them");
        rule.check(classes);
    }
}
