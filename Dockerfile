# JVM image of Infera: the Quarkus fast-jar on a Temurin 25 JRE, non-root, models mounted read-only.
#   ./mvnw package -DskipTests && docker build -t infera .
#   docker run -p 8080:8080 -v "$PWD/models:/models:ro" infera
# Written and linted here (scripts/lint-dockerfiles.sh); there is no container engine on the build
# machines, so it has not been built. ContainerEntrypointIT runs its ENTRYPOINT with its ENV.
FROM eclipse-temurin:25-jre-noble

ENV LANG=C.UTF-8 \
    INFERA_MODELS_DIR=/models \
    DJL_CACHE_DIR=/home/infera/.djl.ai \
    JAVA_OPTS="--enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

RUN useradd --uid 1001 --user-group --create-home --shell /usr/sbin/nologin infera \
    && mkdir /models && chown 1001:1001 /models
WORKDIR /deployments
COPY --chown=1001:1001 target/quarkus-app/lib/ lib/
COPY --chown=1001:1001 target/quarkus-app/*.jar ./
COPY --chown=1001:1001 target/quarkus-app/app/ app/
COPY --chown=1001:1001 target/quarkus-app/quarkus/ quarkus/

USER 1001
EXPOSE 8080
VOLUME ["/models"]
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
