package dev.learnerpulse.tools.dashboard;

import static dev.learnerpulse.tools.dashboard.DashboardPanes.browse;
import static dev.learnerpulse.tools.dashboard.DashboardPanes.quiz;
import static dev.learnerpulse.tools.dashboard.DashboardPanes.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.testkit.EmbeddedRedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard image's jar alone ({@code java -jar target/learner-pulse-dashboard.jar}, as {@code
 * tools/cli/Dockerfile} runs it) serves its pages and answers its JSON API with what the pipeline's
 * own writer put in a real Redis; and the jar holds none of the job's engines, Kafka or GCP
 * clients, which the dashboard never uses (an integration test: it needs the packaged jar).
 */
class DashboardJarIT {
  private static final Path JAR = Path.of("target", "learner-pulse-dashboard.jar");
  private static final String ACME = "T-acme";
  private static final String GLOBEX = "T-globex";
  private static final String SQL_101 = "C-sql-101";
  private static final String ML_201 = "C-ml-201";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the dashboard never needs, by entry name prefix. */
  private static final List<String> NEVER =
      List.of(
          "org/apache/beam/",
          "org/apache/flink/",
          "org/apache/kafka/",
          "kafka/",
          "com/google/cloud/",
          "com/google/api/",
          "com/google/auth/",
          "io/grpc/",
          "dev/learnerpulse/pipeline/",
          "dev/learnerpulse/testkit/",
          "dev/learnerpulse/tools/local/",
          "redis-server");

  private static EmbeddedRedisServer redis;
  private static Process dashboard;
  private static String url;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    assertTrue(Files.isRegularFile(JAR), JAR + " not built: run mvn package");
    redis = EmbeddedRedisServer.start();
    write(
        redis,
        List.of(
            browse(ACME, "L-ada", SQL_101, 0, 3),
            quiz(ACME, "L-grace", SQL_101, 0, 55.5),
            quiz(ACME, "L-linus", SQL_101, 0, 91.25),
            quiz(ACME, "L-edsger", SQL_101, 0, 42),
            browse(ACME, "L-barbara", ML_201, 0, 4),
            browse(GLOBEX, "L-mallory", SQL_101, 0, 20)));
    dashboard =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "--redisUrl=" + redis.url(),
                "--host=127.0.0.1",
                "--port=0")
            .redirectErrorStream(true)
            .start();
    // Its first line on stdout names the URL; anything else before it (a stack trace) fails.
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(dashboard.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      lines.add(line);
      if (line.startsWith("Learner Pulse dashboard at ")) {
        url = line.substring("Learner Pulse dashboard at ".length()).split(" ")[0];
        break;
      }
    }
    assertTrue(url != null, "the dashboard jar did not start:\n" + String.join("\n", lines));
    Thread drain = new Thread(() -> out.lines().forEach(System.out::println), "dashboard-output");
    drain.setDaemon(true);
    drain.start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (dashboard != null) {
      dashboard.destroy();
      dashboard.waitFor();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void theJarHoldsNoEngineKafkaOrGcpClient() throws IOException {
    TreeSet<String> found = new TreeSet<>();
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      zip.stream()
          .map(ZipEntry::getName)
          .forEach(entry -> NEVER.stream().filter(entry::startsWith).forEach(found::add));
    }
    assertEquals(List.of(), List.copyOf(found));
  }

  @Test
  void servesEveryPageWithTheSharedHeaderAndItsScripts() throws Exception {
    for (String page : List.of("", "course.html", "learner.html", "pipeline.html")) {
      String html = get(page, 200);
      assertTrue(html.contains("<header class=\"bar\"></header>"), page + ": " + html);
      assertTrue(html.contains("<script src=\"/dashboard.js\"></script>"), page + ": " + html);
    }
    assertTrue(get("dashboard.js", 200).contains("\"Learner Pulse\""));
    assertTrue(get("dashboard.css", 200).contains(".bar"));
    assertTrue(get("vendor/chart.umd.js", 200).contains("Chart.js v4."));
  }

  @Test
  void apiAnswersWithWhatRedisHolds() throws Exception {
    assertEquals(JSON.readTree("[\"T-acme\",\"T-globex\"]"), api("tenants"));

    JsonNode courses = api("courses?tenant=" + ACME);
    assertEquals(2, courses.size(), courses.toString());
    assertEquals(
        JSON.readTree(
            "{\"course\":\"C-ml-201\",\"windowStart\":\"2026-11-20T09:00:00.000Z\","
                + "\"activeLearners\":1,\"scoredLearners\":0,\"avgScorePct\":null,"
                + "\"completedLearners\":0,\"atRiskLearners\":0}"),
        courses.get(0));
    JsonNode sql = courses.get(1);
    assertEquals(SQL_101, sql.get("course").asText());
    assertEquals(4, sql.get("activeLearners").asLong());
    assertEquals(3, sql.get("scoredLearners").asLong());
    // (55.5 + 91.25 + 42) / 3, as the writer stores it: to two decimals.
    assertEquals("62.92", sql.get("avgScorePct").asText());
    assertEquals(2, sql.get("atRiskLearners").asLong());

    // Tenants never mix: globex's course of the same id has its own learner only.
    JsonNode globex = api("courses?tenant=" + GLOBEX);
    assertEquals(1, globex.size(), globex.toString());
    assertEquals(1, globex.get(0).get("activeLearners").asLong());

    JsonNode course = api("course?tenant=" + ACME + "&course=" + SQL_101);
    assertEquals(
        JSON.readTree(
            "[{\"learner\":\"L-edsger\",\"scorePct\":42.0,\"passingScorePct\":70.0,"
                + "\"windowStart\":\"2026-11-20T09:00:00.000Z\"},"
                + "{\"learner\":\"L-grace\",\"scorePct\":55.5,\"passingScorePct\":70.0,"
                + "\"windowStart\":\"2026-11-20T09:00:00.000Z\"}]"),
        course.get("atRisk"));
    assertEquals(
        // Highest first (2 per interaction + 1 per 30 active seconds); ties as Redis orders them.
        List.of("L-ada 9.0", "L-linus 3.0", "L-grace 3.0", "L-edsger 3.0"),
        ranked(course.get("leaderboard")));

    JsonNode learner = api("learner?tenant=" + ACME + "&course=" + SQL_101 + "&learner=L-edsger");
    assertEquals("42", learner.get("fields").get("avg_score_pct").asText());
    assertEquals("true", learner.get("fields").get("at_risk").asText());

    JsonNode pipeline = api("pipeline");
    assertEquals("2026-11-20T09:01:00.000Z", pipeline.get("freshness").get("window_end").asText());
    assertTrue(pipeline.get("job").isNull(), pipeline.toString());
  }

  @Test
  void aCallWithoutItsTenantIsABadRequest() throws Exception {
    String body = get("api/courses", 400);
    assertEquals("{\"error\":\"query parameter 'tenant' is missing\"}", body);
  }

  // ---- HTTP.

  private static String get(String path, int status) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(status, response.statusCode(), path + ": " + response.body());
    return response.body();
  }

  private static JsonNode api(String call) throws Exception {
    return JSON.readTree(get("api/" + call, 200));
  }

  private static List<String> ranked(JsonNode leaderboard) {
    List<String> rows = new ArrayList<>();
    leaderboard.forEach(
        r -> rows.add(r.get("learner").asText() + " " + r.get("engagementScore").asDouble()));
    return rows;
  }
}
