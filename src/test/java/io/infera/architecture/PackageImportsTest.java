package io.infera.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each package's package-info.java says what it may import ("May import tasks, batching and
 * errors", "Imports nothing of Infera"); this holds every package to its own sentence. A name
 * covers that package and its subpackages; a package may always use itself and its subpackages;
 * task packages "may import ... the task packages they build on" may use any task package.
 */
class PackageImportsTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern MAY_IMPORT = Pattern.compile("may import (.*?)[.;](\\s|$)", Pattern.CASE_INSENSITIVE);
    private static final Pattern IMPORTS_NOTHING =
            Pattern.compile("imports (nothing|no other infera package)", Pattern.CASE_INSENSITIVE);

    private record Rule(String pkg, List<String> allowed) {}

    @TestFactory
    Stream<DynamicTest> everyPackageImportsOnlyWhatItsPackageInfoAllows() throws IOException {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.infera");
        List<Rule> rules = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.endsWith("package-info.java")).toList()) {
                rule(Files.readString(file)).ifPresent(rules::add);
            }
        }
        assertTrue(rules.size() > 30, "package-info sentences found: " + rules.size());
        return rules.stream()
                .map(rule -> DynamicTest.dynamicTest(rule.pkg() + " may import " + rule.allowed(), () -> {
                    List<String> allowed = new ArrayList<>(rule.allowed().stream()
                            .map(name -> "io.infera." + name + "..")
                            .toList());
                    allowed.add(rule.pkg() + "..");
                    noClasses()
                            .that()
                            .resideInAPackage(rule.pkg())
                            .should()
                            .dependOnClassesThat(resideInAPackage("io.infera..")
                                    .and(DescribedPredicate.not(resideInAnyPackage(allowed.toArray(String[]::new)))))
                            .because("its package-info.java says so")
                            .check(classes);
                }));
    }

    /** The package's rule, from its javadoc; empty when the javadoc states none (the root package). */
    private static Optional<Rule> rule(String source) {
        String pkg = source.lines()
                .filter(line -> line.startsWith("package "))
                .findFirst()
                .orElseThrow()
                .substring("package ".length())
                .replace(";", "")
                .strip();
        String text = source.replaceAll("(?m)^\\s*/?\\*+/?", " ").replaceAll("\\s+", " ");
        text = text.replaceAll("\\([^)]*\\)", " ");
        if (IMPORTS_NOTHING.matcher(text).find()) {
            return Optional.of(new Rule(pkg, List.of()));
        }
        Matcher may = MAY_IMPORT.matcher(text);
        if (!may.find()) {
            return Optional.empty();
        }
        String list = may.group(1);
        list = list.substring(list.indexOf(':') + 1).replaceAll("\\bonly\\b", " ");
        List<String> allowed = new ArrayList<>();
        for (String name : list.split(",|\\band\\b")) {
            String word = name.strip().toLowerCase(Locale.ROOT);
            if (!word.isEmpty()) {
                allowed.add(word);
            }
        }
        if (source.contains("task packages they build")) {
            allowed.add("tasks");
        }
        return Optional.of(new Rule(pkg, allowed));
    }
}
