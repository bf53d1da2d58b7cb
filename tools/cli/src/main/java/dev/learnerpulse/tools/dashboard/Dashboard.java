package dev.learnerpulse.tools.dashboard;

import dev.learnerpulse.sinks.redis.DashboardKeys;
import dev.learnerpulse.sinks.redis.RedisUrl;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code ./learner-pulse dashboard}: the web dashboard on its own, over any Redis the pipeline
 * writes to. Options fall back to environment variables, which is how Cloud Run passes them ({@code
 * PORT} is set by Cloud Run itself; {@code REDIS_AUTH} can come from Secret Manager).
 */
public final class Dashboard {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: learner-pulse dashboard --redisUrl=<url> [options]",
          "  --redisUrl=<url>        redis://[user:password@]host[:port] or rediss:// (TLS); env REDIS_URL",
          "  --redisAuth=<password>  AUTH password, if not in the URL; env REDIS_AUTH",
          "  --redisKeyPrefix=<p>    the prefix the pipeline writes under (default lp); env REDIS_KEY_PREFIX",
          "  --host=<address>        address to listen on (default 0.0.0.0); env HOST",
          "  --port=<n>              port to listen on (default 8080); env PORT",
          "  --help                  this text");

  private Dashboard() {}

  public static void main(String[] args) throws InterruptedException {
    Settings settings;
    try {
      if (java.util.List.of(args).contains("--help")) {
        System.out.println(USAGE);
        return;
      }
      settings = Settings.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("learner-pulse dashboard: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    DashboardServer server =
        DashboardServer.start(
            RedisUrl.parse(settings.redisUrl(), settings.redisAuth()),
            settings.keyPrefix(),
            settings.host(),
            settings.port(),
            null);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "learner-pulse-dashboard-stop"));
    System.out.println(
        "Learner Pulse dashboard at "
            + server.url()
            + " (Redis "
            + settings.redisUrl().replaceAll("//[^@/]*@", "//***@")
            + ")");
    stopped.await();
  }

  /** The command line, each option falling back to its environment variable. */
  record Settings(
      String redisUrl, @Nullable String redisAuth, String keyPrefix, String host, int port) {
    static Settings parse(String[] args, Map<String, String> env) {
      String redisUrl = env.get("REDIS_URL");
      String redisAuth = env.get("REDIS_AUTH");
      String prefix = env.getOrDefault("REDIS_KEY_PREFIX", DashboardKeys.DEFAULT_PREFIX);
      String host = env.getOrDefault("HOST", "0.0.0.0");
      String port = env.getOrDefault("PORT", "8080");
      for (String arg : args) {
        int eq = arg.indexOf('=');
        if (!arg.startsWith("--") || eq < 0) {
          throw new IllegalArgumentException("expected --name=value, not '" + arg + "'");
        }
        String value = arg.substring(eq + 1);
        switch (arg.substring(0, eq)) {
          case "--redisUrl" -> redisUrl = value;
          case "--redisAuth" -> redisAuth = value;
          case "--redisKeyPrefix" -> prefix = value;
          case "--host" -> host = value;
          case "--port" -> port = value;
          default ->
              throw new IllegalArgumentException("unknown option '" + arg.substring(0, eq) + "'");
        }
      }
      if (redisUrl == null || redisUrl.isBlank()) {
        throw new IllegalArgumentException("--redisUrl (or REDIS_URL) is required");
      }
      int portNumber;
      try {
        portNumber = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--port: cannot read '" + port + "'");
      }
      if (portNumber < 0 || portNumber > 65535) {
        throw new IllegalArgumentException("--port must be in 0..65535, was " + portNumber);
      }
      RedisUrl.parse(redisUrl, redisAuth); // fails here, naming --redisUrl, when it is malformed
      DashboardKeys.withPrefix(prefix);
      return new Settings(
          redisUrl,
          redisAuth == null || redisAuth.isEmpty() ? null : redisAuth,
          prefix,
          host,
          portNumber);
    }
  }
}
