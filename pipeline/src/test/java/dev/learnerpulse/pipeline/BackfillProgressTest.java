package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a progress line says, and the total a dump backfill knows at launch. */
class BackfillProgressTest {
  @Test
  void aKnownTotalGivesPercentRateAndTimeLeft() {
    assertEquals(
        "backfill: 25,000 of 100,000 records (25%), 5,000/s, ETA 0:00:15, 12 dead letters, 0:00:05 elapsed",
        BackfillProgress.line(25_000, 100_000, 12, 5_000));
  }

  @Test
  void anUnknownTotalGivesTheCountAndRateOnly() {
    assertEquals(
        "backfill: 7,200 records, 1,200/s, 0 dead letters, 0:00:06 elapsed",
        BackfillProgress.line(7_200, -1, 0, 6_000));
  }

  @Test
  void nothingReadYetHasNoTimeLeft() {
    assertEquals(
        "backfill: 0 of 10 records (0%), 0/s, ETA -, 0 dead letters, 0:00:02 elapsed",
        BackfillProgress.line(0, 10, 0, 2_000));
  }

  @Test
  void onceEverythingIsReadTheRestIsWindowsAndWrites() {
    assertEquals(
        "backfill: all 40,042 records read, computing windows and writing, 2,009 dead letters, 0:04:37 elapsed",
        BackfillProgress.line(40_042, 40_042, 2_009, 277_000));
  }

  /**
   * The committed dumps hold 2,440 records, one a line (testdata/expected-outcomes.json's inputs).
   */
  @Test
  void theTotalOfDumpsIsTheirLineCount() {
    String pattern = Path.of("..", "testdata").toAbsolutePath() + "/*.jsonl";
    assertEquals(2_440, new ArchivedTopicFiles(pattern).size());
  }
}
