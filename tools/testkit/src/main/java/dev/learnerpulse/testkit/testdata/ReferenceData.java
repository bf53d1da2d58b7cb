package dev.learnerpulse.testkit.testdata;

import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.SourceTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The changes of the two reference tables: a snapshot of every published course and learner, two
 * courses whose passing score is changed during the day, a learner moved to another cohort, and a
 * learner erased (delete, then tombstone). Kafka timestamps of the streamed changes are set here;
 * snapshot reads are stamped with the rest of the snapshot.
 */
final class ReferenceData {
  private ReferenceData() {}

  static List<PlannedChange> plan(
      GeneratorConfig config, Roster roster, long snapshotAt, SplittableRandom random) {
    List<PlannedChange> changes = new ArrayList<>();
    for (Roster.Course course : roster.courses) {
      changes.add(new PlannedChange(SourceTable.COURSES, Op.READ, course, null, snapshotAt, true));
    }
    for (Roster.Learner learner : roster.learners) {
      changes.add(
          new PlannedChange(SourceTable.LEARNERS, Op.READ, learner, null, snapshotAt, true));
    }
    long start = config.startMillis();
    long span = config.endMillis() - start;
    Roster.Course raised = roster.courses.get(0);
    changes.add(
        streamed(
            SourceTable.COURSES,
            Op.UPDATE,
            withPassingScore(raised, raised.passingScorePct().add(new BigDecimal("5.00"))),
            raised,
            start + span * 2 / 5,
            random));
    Roster.Course lowered = roster.courses.get(roster.courses.size() - 1);
    changes.add(
        streamed(
            SourceTable.COURSES,
            Op.UPDATE,
            withPassingScore(lowered, lowered.passingScorePct().subtract(new BigDecimal("2.50"))),
            lowered,
            start + span * 3 / 5 + 17_000,
            random));
    Roster.Learner moved = roster.learners.get(1);
    Roster.Learner movedAfter =
        new Roster.Learner(
            moved.id(), moved.tenant(), moved.tenant() + "-2026-q4b", moved.country());
    changes.add(
        streamed(
            SourceTable.LEARNERS, Op.UPDATE, movedAfter, moved, start + span * 3 / 10, random));
    Roster.Learner erased = roster.learners.get(roster.learners.size() - 1);
    changes.add(
        streamed(SourceTable.LEARNERS, Op.DELETE, erased, null, start + span * 4 / 5, random));
    return changes;
  }

  private static PlannedChange streamed(
      SourceTable table, Op op, Object row, Object before, long at, SplittableRandom random) {
    PlannedChange change = new PlannedChange(table, op, row, before, at, false);
    change.kafkaTs = at + 20 + random.nextInt(500);
    return change;
  }

  private static Roster.Course withPassingScore(Roster.Course course, BigDecimal passing) {
    return new Roster.Course(
        course.id(), course.tenant(), course.title(), passing, course.moduleCount());
  }
}
