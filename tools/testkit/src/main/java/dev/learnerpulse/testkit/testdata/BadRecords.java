package dev.learnerpulse.testkit.testdata;

import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.SourceTable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plants the deliberately bad records: broken copies of good changes, captured a moment after them.
 * Each change table gets a share of {@code count} in proportion to its size, but at least one of
 * each defect that fits it; its defects (its own, then those that fit any table) are dealt
 * round-robin, and course_interactions takes what is left. Each reference table gets one defect of
 * its own on top.
 */
final class BadRecords {
  private static final List<SourceTable> CHANGE_TABLES =
      List.of(
          SourceTable.LEARNER_PROGRESS,
          SourceTable.COURSE_INTERACTIONS,
          SourceTable.ASSESSMENT_EVENTS,
          SourceTable.CERTIFICATION_STATE);

  private BadRecords() {}

  static List<PlannedChange> plant(List<PlannedChange> clean, int count, SplittableRandom random) {
    Map<SourceTable, List<PlannedChange>> templates = new EnumMap<>(SourceTable.class);
    Map<SourceTable, Integer> cleanCounts = new EnumMap<>(SourceTable.class);
    for (PlannedChange c : clean) {
      cleanCounts.merge(c.table, 1, Integer::sum);
      if (c.expectedOutcome() == Outcome.VALID && (!c.snapshot || c.table.isReference())) {
        templates.computeIfAbsent(c.table, t -> new ArrayList<>()).add(c);
      }
    }
    int cleanChanges = 0;
    for (SourceTable table : CHANGE_TABLES) {
      cleanChanges += cleanCounts.getOrDefault(table, 0);
    }
    List<PlannedChange> bad = new ArrayList<>();
    int left = count;
    for (SourceTable table : CHANGE_TABLES) {
      List<Defect> cycle = defectsOf(table);
      int share = Math.round((float) count * cleanCounts.getOrDefault(table, 0) / cleanChanges);
      int n = table == SourceTable.COURSE_INTERACTIONS ? 0 : Math.max(cycle.size(), share);
      left -= n;
      if (table == SourceTable.COURSE_INTERACTIONS) {
        continue;
      }
      for (int i = 0; i < n; i++) {
        bad.add(brokenCopy(templates.get(table), cycle.get(i % cycle.size()), random));
      }
    }
    List<Defect> interactionDefects = defectsOf(SourceTable.COURSE_INTERACTIONS);
    if (left < interactionDefects.size()) {
      throw new IllegalArgumentException("too few changes to plant every defect");
    }
    for (int i = 0; i < left; i++) {
      bad.add(
          brokenCopy(
              templates.get(SourceTable.COURSE_INTERACTIONS),
              interactionDefects.get(i % interactionDefects.size()),
              random));
    }
    for (Defect defect : Defect.values()) {
      if (defect.isReference()) {
        bad.add(brokenCopy(templates.get(defect.table), defect, random));
      }
    }
    return bad;
  }

  /** The table's own defects, then those that fit any table. */
  private static List<Defect> defectsOf(SourceTable table) {
    List<Defect> own = new ArrayList<>();
    List<Defect> generic = new ArrayList<>();
    for (Defect d : Defect.values()) {
      if (d.table == table) {
        own.add(d);
      } else if (d.table == null) {
        generic.add(d);
      }
    }
    own.addAll(generic);
    return own;
  }

  private static PlannedChange brokenCopy(
      List<PlannedChange> templates, Defect defect, SplittableRandom random) {
    PlannedChange template = templates.get(random.nextInt(templates.size()));
    return template.broken(defect, template.kafkaTs + 30 + random.nextInt(670));
  }
}
