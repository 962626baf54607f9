# Build and run market-backend. Used by docker-compose.yml (image market-backend:local).
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src src
COPY db-policies db-policies
RUN ./mvnw -B -ntp -q -DskipTests package

FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=build /src/target/market-backend.jar ./market-backend.jar
COPY --from=build /src/target/libs ./libs
COPY scripts/docker-entrypoint.sh ./market-backend
RUN useradd --system --uid 10001 market
USER market
EXPOSE 8080
ENTRYPOINT ["/app/market-backend"]
CMD ["serve"]
