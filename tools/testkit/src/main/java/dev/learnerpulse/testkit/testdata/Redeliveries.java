package dev.learnerpulse.testkit.testdata;

import dev.learnerpulse.model.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Duplicates as a connector restart makes them: the connector resumes from its last committed
 * offset and sends the changes after it again, identical (same key, value and source position) but
 * at later offsets. Only valid changes are replayed, so every duplicate is a duplicate of a valid
 * change by the contract's identity.
 */
final class Redeliveries {
  /** Share of the duplicates per topic. */
  private static final Map<String, Double> SHARES =
      Map.of(
          "lxp.engagement.course_interactions", 0.4,
          "lxp.public.learner_progress", 0.25,
          "lxp.assessments.assessment_events", 0.15,
          "lxp.public.certification_state", 0.2);

  private static final int REPLAY_BATCH = 8;

  private Redeliveries() {}

  static void replay(TopicLog log, int count, long from, long to, SplittableRandom random) {
    int left = count;
    List<String> topics = new ArrayList<>(SHARES.keySet());
    topics.sort(Comparator.naturalOrder());
    for (int t = 0; t < topics.size(); t++) {
      String topic = topics.get(t);
      int n = t == topics.size() - 1 ? left : (int) Math.round(count * SHARES.get(topic));
      left -= n;
      List<TopicLog.Entry> valid = new ArrayList<>();
      for (TopicLog.Entry e : log.topics().get(topic)) {
        if (e.outcome() == Outcome.VALID && !e.snapshot()) {
          valid.add(e);
        }
      }
      valid.sort(
          Comparator.comparingLong(TopicLog.Entry::kafkaTs).thenComparingLong(TopicLog.Entry::seq));
      while (n > 0) {
        int batch = Math.min(n, REPLAY_BATCH);
        long restart = from + random.nextLong(to - from);
        int resume = lastBefore(valid, restart) - batch + 1;
        if (resume < 0) {
          continue;
        }
        for (int i = 0; i < batch; i++) {
          log.redeliver(valid.get(resume + i), restart + 30 + 3L * i);
        }
        valid.subList(resume, resume + batch).clear();
        n -= batch;
      }
    }
  }

  private static int lastBefore(List<TopicLog.Entry> entries, long ts) {
    int last = -1;
    for (int i = 0; i < entries.size() && entries.get(i).kafkaTs() < ts; i++) {
      last = i;
    }
    return last;
  }
}
