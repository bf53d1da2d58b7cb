package dev.learnerpulse.tools.dashboard;

import static dev.learnerpulse.tools.dashboard.DashboardPanes.T0;
import static dev.learnerpulse.tools.dashboard.DashboardPanes.WINDOW;
import static dev.learnerpulse.tools.dashboard.DashboardPanes.browse;
import static dev.learnerpulse.tools.dashboard.DashboardPanes.quiz;
import static dev.learnerpulse.tools.dashboard.DashboardPanes.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.sinks.redis.DashboardKeys;
import dev.learnerpulse.sinks.redis.DashboardRedis;
import dev.learnerpulse.testkit.EmbeddedRedisServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The dashboard in a real browser (Debian's chromium, headless) over a real Redis that the
 * pipeline's own writer ({@link DashboardRedis}) filled: what the pages show is what Redis holds,
 * one tenant at a time, and a newer pane shows without a reload. Screenshots of every page go to
 * {@code target/screenshots/}.
 */
class DashboardBrowserTest {
  private static final String ACME = "T-acme";
  private static final String GLOBEX = "T-globex";
  private static final String SQL_101 = "C-sql-101";
  private static final String ML_201 = "C-ml-201";
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /** The pipeline page's job counters, as the local run would hand them over. */
  private static final JobCounts JOB =
      new JobCounts(
          Map.of(
              "lxp.public.course_interactions",
              Map.of(
                  "input",
                  12_480L,
                  "valid",
                  12_301L,
                  "duplicate",
                  140L,
                  "ignored",
                  0L,
                  "dead_letter",
                  31L,
                  "too_late",
                  8L),
              "lxp.public.assessment_attempts",
              Map.of(
                  "input",
                  2_010L,
                  "valid",
                  1_999L,
                  "duplicate",
                  4L,
                  "ignored",
                  0L,
                  "dead_letter",
                  7L,
                  "too_late",
                  0L)),
          Map.of("MALFORMED_JSON", 21L, "MISSING_FIELD", 12L, "BAD_TIMESTAMP", 5L));

  private static EmbeddedRedisServer redis;
  private static DashboardServer server;
  private static WebDriver browser;
  private static final DashboardKeys KEYS = DashboardKeys.withPrefix(DashboardKeys.DEFAULT_PREFIX);

  @BeforeAll
  static void start() throws IOException {
    redis = EmbeddedRedisServer.start();
    write(redis, lastHour());
    server =
        DashboardServer.start(endpoint(), DashboardKeys.DEFAULT_PREFIX, "127.0.0.1", 0, () -> JOB);
    browser = chromium();
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /**
   * An hour of windows in SQL 101 for acme (three learners, one of them failing its quizzes) and ML
   * 201, and the same course id for globex with other learners, who must never show for acme.
   */
  private static List<LearnerWindowMetrics> lastHour() {
    List<LearnerWindowMetrics> panes = new ArrayList<>();
    for (int w = 0; w < 60; w++) {
      panes.add(browse(ACME, "L-ada", SQL_101, w, 3 + w % 5));
      if (w % 3 == 0) {
        panes.add(quiz(ACME, "L-grace", SQL_101, w, 60 + (w % 7) * 5));
      }
      if (w % 2 == 0) {
        panes.add(browse(ACME, "L-linus", SQL_101, w, 1 + w % 3));
      }
    }
    panes.add(quiz(ACME, "L-grace", SQL_101, 60, 55.5));
    panes.add(quiz(ACME, "L-linus", SQL_101, 60, 91.25));
    panes.add(browse(ACME, "L-ada", SQL_101, 60, 9));
    panes.add(quiz(ACME, "L-edsger", SQL_101, 60, 42));
    panes.add(browse(ACME, "L-barbara", ML_201, 60, 4));
    panes.add(browse(GLOBEX, "L-mallory", SQL_101, 60, 20));
    panes.add(quiz(GLOBEX, "L-trent", SQL_101, 60, 10));
    return panes;
  }

  @Test
  void courseShowsWhatRedisHoldsAndUpdatesWithoutReload() throws IOException {
    open("/course.html?tenant=" + ACME + "&course=" + SQL_101);
    Map<String, String> live = hash(KEYS.live(ACME, SQL_101));
    assertEquals(count(live.get("active_learners")), text("kpi-active"));
    assertEquals(pct(live.get("avg_score_pct")), text("kpi-score"));
    assertEquals(count(live.get("completed_learners")), text("kpi-completed"));
    assertEquals(count(live.get("at_risk_learners")), text("kpi-at-risk"));
    assertEquals("4", text("kpi-active"));

    // At risk: lowest score first, each with its score and the passing score, as Redis holds them.
    List<String> atRisk = rows("at-risk");
    assertEquals(List.of("L-edsger 42.0 70.0 -28.0", "L-grace 55.5 70.0 -14.5"), atRisk);
    try (Jedis jedis = jedis()) {
      assertEquals(
          jedis.smembers(KEYS.atRisk(ACME, SQL_101)),
          atRisk.stream().map(r -> r.split(" ")[0]).collect(Collectors.toSet()));
      // The leaderboard is the engagement ZSET, highest first.
      List<String> expected = new ArrayList<>();
      int rank = 1;
      for (Tuple t : jedis.zrevrangeWithScores(KEYS.engagement(ACME, SQL_101), 0, 9)) {
        expected.add(rank++ + " " + t.getElement() + " " + score(t.getScore()));
      }
      assertEquals(expected, rows("leaderboard"));
    }
    // Tenants never mix: globex's learners in its course of the same id are not on acme's page.
    String page = browser.findElement(By.tagName("main")).getText();
    assertFalse(page.contains("L-mallory") || page.contains("L-trent"), page);
    assertEquals(
        List.of(ACME, GLOBEX),
        browser.findElements(By.cssSelector("#tenant option")).stream()
            .map(WebElement::getText)
            .collect(Collectors.toList()));
    waitForChart();
    screenshot("course");

    // A newer window: the page follows within 2 s, without a reload.
    write(
        redis,
        List.of(browse(ACME, "L-ada", SQL_101, 61, 2), quiz(ACME, "L-grace", SQL_101, 61, 88)));
    new WebDriverWait(browser, Duration.ofSeconds(2))
        .until(ExpectedConditions.textToBe(By.id("kpi-active"), "2"));
    Map<String, String> newer = hash(KEYS.live(ACME, SQL_101));
    assertEquals(
        String.valueOf(T0.plus(WINDOW.multipliedBy(61)).getMillis()), newer.get("window_start_ms"));
    assertEquals(pct(newer.get("avg_score_pct")), text("kpi-score"));
    assertEquals("88.0%", text("kpi-score"));
    new WebDriverWait(browser, Duration.ofSeconds(2))
        .until(d -> rows("at-risk").equals(List.of("L-edsger 42.0 70.0 -28.0")));
  }

  @Test
  void coursesAtAGlanceArePerTenant() throws IOException {
    open("/?tenant=" + ACME);
    Map<String, String> sql = hash(KEYS.live(ACME, SQL_101));
    Map<String, String> ml = hash(KEYS.live(ACME, ML_201));
    List<String> rows = rows("courses");
    assertEquals(2, rows.size(), rows.toString());
    assertEquals(glance(ML_201, ml), rows.get(0));
    assertEquals(glance(SQL_101, sql), rows.get(1));
    screenshot("courses");

    open("/?tenant=" + GLOBEX);
    Map<String, String> globex = hash(KEYS.live(GLOBEX, SQL_101));
    assertEquals(List.of(glance(SQL_101, globex)), rows("courses"));
    assertEquals("2", count(globex.get("active_learners")));
  }

  @Test
  void learnerShowsTheNewestWindowFields() throws IOException {
    open("/learner.html?tenant=" + ACME + "&course=" + SQL_101 + "&learner=L-edsger");
    Map<String, String> fields = hash(KEYS.learner(ACME, SQL_101, "L-edsger"));
    Map<String, String> shown = new TreeMap<>();
    for (String row : rows("fields")) {
      String[] cells = row.split(" ", 2);
      shown.put(cells[0], cells.length > 1 ? cells[1] : "");
    }
    assertEquals(new TreeMap<>(fields), shown);
    assertEquals("42.0%", text("kpi-score"));
    assertEquals("At risk", text("kpi-state"));
    screenshot("learner");
  }

  @Test
  void pipelineShowsFreshnessAndTheJobCounters() throws IOException {
    open("/pipeline.html?tenant=" + ACME);
    Map<String, String> freshness = hash(KEYS.freshness());
    assertEquals(freshness.get("window_end").substring(11, 19), text("kpi-window-end"));
    assertEquals("38", text("kpi-dead"));
    assertEquals("8 too late", text("kpi-too-late"));
    assertEquals(
        List.of("MALFORMED_JSON 21", "MISSING_FIELD 12", "BAD_TIMESTAMP 5"), rows("reasons"));
    assertEquals(
        List.of(
            "lxp.public.assessment_attempts 2,010 1,999 4 0 7 0",
            "lxp.public.course_interactions 12,480 12,301 140 0 31 8"),
        rows("topics"));
    screenshot("pipeline");
  }

  // ---- The browser.

  /**
   * Debian's chromium and its chromedriver (apt-get install chromium chromium-driver; .ci/run
   * does), or the binaries CHROME_BIN and CHROMEDRIVER name. Missing ones fail the test: a browser
   * test that skips itself would pass without testing anything.
   */
  private static WebDriver chromium() {
    String chrome = System.getenv().getOrDefault("CHROME_BIN", "/usr/bin/chromium");
    String driver = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");
    for (String binary : List.of(chrome, driver)) {
      if (!new File(binary).canExecute()) {
        fail(
            binary
                + " not found: the dashboard's browser test needs Debian's chromium and"
                + " chromium-driver (apt-get install -y chromium chromium-driver; .ci/run installs"
                + " them), or CHROME_BIN and CHROMEDRIVER pointing at a Chrome and its driver");
      }
    }
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(chrome)
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1360,1180",
                "--force-device-scale-factor=1",
                "--lang=en-US");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(driver)).build();
    return new ChromeDriver(service, options);
  }

  /** Loads a page and waits for its first answer from the API. */
  private static void open(String path) {
    browser.get(server.url() + path.substring(1));
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> d.findElement(By.tagName("body")).getAttribute("data-updated") != null);
  }

  private static void waitForChart() {
    new WebDriverWait(browser, Duration.ofSeconds(5))
        .until(
            d ->
                (Boolean)
                    ((JavascriptExecutor) d)
                        .executeScript(
                            "return window.Chart != null && Chart.getChart('chart') != null"
                                + " && Chart.getChart('chart').data.labels.length > 0"));
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  /**
   * The table's rows, cells joined by one space, read in one script: the page redraws its tables
   * every second, so rows found one call earlier may be gone.
   */
  @SuppressWarnings("unchecked")
  private static List<String> rows(String table) {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')]"
                    + ".map(r => [...r.cells].map(c => c.innerText).join(' '))",
                table);
  }

  private static void screenshot(String name) throws IOException {
    File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.size(SCREENSHOTS.resolve(name + ".png")) > 10_000);
  }

  // ---- Redis and the page's number formats.

  private static dev.learnerpulse.sinks.redis.RedisEndpoint endpoint() {
    return dev.learnerpulse.sinks.redis.RedisEndpoint.of(redis.host(), redis.port());
  }

  private static Jedis jedis() {
    return endpoint().connect();
  }

  private static Map<String, String> hash(String key) {
    try (Jedis jedis = jedis()) {
      return jedis.hgetAll(key);
    }
  }

  private static String glance(String course, Map<String, String> live) {
    return String.join(
        " ",
        course,
        count(live.get("active_learners")),
        pct(live.get("avg_score_pct")),
        count(live.get("completed_learners")),
        count(live.get("at_risk_learners")),
        live.get("window_start").substring(11, 19));
  }

  private static String count(String value) {
    return String.format(Locale.US, "%,d", Long.parseLong(value));
  }

  private static String pct(String value) {
    return value == null ? "–" : String.format(Locale.US, "%,.1f%%", Double.parseDouble(value));
  }

  private static String score(double value) {
    return String.format(Locale.US, "%,.1f", value);
  }
}
