package dev.learnerpulse.testkit.testdata;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What one run of {@link GenerateTestData} produces. The defaults are the committed data set under
 * {@code testdata/}; change one and the committed files no longer match.
 */
public record GeneratorConfig(
    Path out,
    long seed,
    int tenants,
    int learners,
    int courses,
    int changes,
    int minutes,
    Instant start) {

  static final String USAGE =
      String.join(
          "\n",
          "Usage: GenerateTestData [options]",
          "  --out <dir>        where the topic dumps go (default testdata)",
          "  --seed <long>      random seed; equal seeds give byte-identical files (default 42)",
          "  --tenants <n>      tenants, at most 8 (default 3)",
          "  --learners <n>     learners in the learners topic (default 24)",
          "  --courses <n>      courses in the courses topic (default 6)",
          "  --changes <n>      records over the four change topics (default 2400)",
          "  --minutes <n>      event-time span of the day (default 30)",
          "  --start <instant>  ISO-8601 start of the span (default 2026-11-20T09:00:00Z)",
          "  --help             this text");

  public GeneratorConfig {
    require(
        tenants >= 1 && tenants <= Roster.TENANTS.size(),
        "--tenants must be 1.." + Roster.TENANTS.size());
    require(learners >= tenants && learners <= 999, "--learners must be --tenants..999");
    require(courses >= tenants && courses <= 98, "--courses must be --tenants..98");
    require(changes >= 1000, "--changes must be at least 1000, to leave room for every defect");
    require(minutes >= 20, "--minutes must be at least 20, to leave room for very late events");
  }

  static GeneratorConfig defaults() {
    return new GeneratorConfig(
        Path.of("testdata"), 42L, 3, 24, 6, 2400, 30, Instant.parse("2026-11-20T09:00:00Z"));
  }

  /** Parses plain {@code --name value} arguments over the defaults. */
  static GeneratorConfig parse(String... args) {
    GeneratorConfig c = defaults();
    Path out = c.out;
    long seed = c.seed;
    int tenants = c.tenants;
    int learners = c.learners;
    int courses = c.courses;
    int changes = c.changes;
    int minutes = c.minutes;
    Instant start = c.start;
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args[i + 1];
      try {
        switch (name) {
          case "--out":
            out = Path.of(value);
            break;
          case "--seed":
            seed = Long.parseLong(value);
            break;
          case "--tenants":
            tenants = Integer.parseInt(value);
            break;
          case "--learners":
            learners = Integer.parseInt(value);
            break;
          case "--courses":
            courses = Integer.parseInt(value);
            break;
          case "--changes":
            changes = Integer.parseInt(value);
            break;
          case "--minutes":
            minutes = Integer.parseInt(value);
            break;
          case "--start":
            start = Instant.parse(value);
            break;
          default:
            throw new IllegalArgumentException("unknown option " + name);
        }
      } catch (NumberFormatException | DateTimeParseException e) {
        throw new IllegalArgumentException(name + ": cannot read '" + value + "'");
      }
    }
    return new GeneratorConfig(out, seed, tenants, learners, courses, changes, minutes, start);
  }

  long startMillis() {
    return start.toEpochMilli();
  }

  long endMillis() {
    return startMillis() + minutes * 60_000L;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
