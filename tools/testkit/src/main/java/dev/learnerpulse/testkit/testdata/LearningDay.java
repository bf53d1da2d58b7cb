package dev.learnerpulse.testkit.testdata;

import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.SourceTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The clean changes of the four change tables over one span of a learning day: a snapshot of what
 * exists when the connectors start, then sessions of learners working through courses (bursts of
 * interactions, quiz attempts, a progress update at the end of each), certification moving from
 * in_progress to eligible to issued (sometimes revoked), and the odd update, delete and truncate.
 *
 * <p>Sessions are planned first and then replayed in event-time order, so that progress only rises
 * and certification follows completion.
 */
final class LearningDay {
  private static final long SECOND = 1_000L;
  private static final long MINUTE = 60 * SECOND;

  private final Roster roster;
  private final SplittableRandom random;
  private final long start;
  private final long end;

  /** When the connectors start and snapshot the tables. */
  final long snapshotAt;

  LearningDay(GeneratorConfig config, Roster roster, SplittableRandom random) {
    this.roster = roster;
    this.random = random;
    this.start = config.startMillis();
    this.end = config.endMillis();
    this.snapshotAt = start + MINUTE;
  }

  /** Steps a session is made of, and the follow-ups they schedule. */
  private enum Kind {
    INTERACTION,
    ATTEMPT,
    PROGRESS,
    CERTIFY,
    REVISE_INTERACTION,
    REMOVE_INTERACTION,
    REGRADE_ATTEMPT,
    REMOVE_ATTEMPT,
    UNENROLL,
    TRUNCATE_CERTIFICATIONS
  }

  private static final class Step {
    final long time;
    final long seq;
    final Kind kind;
    final Roster.Enrollment enrollment;
    String detail;
    Integer duration;
    Boolean isFinal;
    Object row;

    Step(long time, long seq, Kind kind, Roster.Enrollment enrollment) {
      this.time = time;
      this.seq = seq;
      this.kind = kind;
      this.enrollment = enrollment;
    }
  }

  /** What the tables hold for one enrollment while the day is replayed. */
  private static final class Standing {
    Rows.Progress progress;
    Rows.Certification certification;
    boolean unenrolled;
  }

  private final PriorityQueue<Step> queue =
      new PriorityQueue<>(
          Comparator.comparingLong((Step s) -> s.time).thenComparingLong(s -> s.seq));
  private final Map<Roster.Enrollment, Standing> standings = new HashMap<>();
  private final List<PlannedChange> changes = new ArrayList<>();
  private long seq;
  private long nextInteractionId = 1_000_001L;
  private int objectIdCounter = 0x3a91c0;
  private boolean certificationsTruncated;

  /**
   * Clean changes that make exactly {@code count} Kafka records (deletes count twice, for their
   * tombstones), in event-time order; snapshot reads come first. None has a Kafka timestamp yet.
   */
  List<PlannedChange> plan(int count) {
    // Steps past the end of the day or after a completion are dropped on replay, so plan more
    // than needed and trim; plan again with a larger margin when even that falls short.
    for (double margin = 1.2; ; margin += 0.1) {
      reset();
      snapshot();
      int sessionSteps = 0;
      while (sessionSteps + changes.size() < count * margin) {
        sessionSteps += planSession();
      }
      scheduleSpecials();
      while (!queue.isEmpty()) {
        replay(queue.poll());
      }
      if (records() >= count) {
        trimTo(count);
        return changes;
      }
    }
  }

  private void reset() {
    queue.clear();
    standings.clear();
    changes.clear();
    certificationsTruncated = false;
  }

  private void snapshot() {
    for (Roster.Enrollment e : roster.enrollments) {
      Standing standing = standing(e);
      if (random.nextDouble() < 0.55) {
        long at = between(start, snapshotAt - SECOND);
        BigDecimal pct =
            random.nextDouble() < 0.2 ? BigDecimal.ZERO.setScale(2) : pct(5 + random.nextInt(60));
        standing.progress =
            new Rows.Progress(
                e.learner().id(),
                e.course().id(),
                pct,
                pct.signum() == 0 ? "not_started" : "in_progress",
                micros(at));
        changes.add(snapshotRead(SourceTable.LEARNER_PROGRESS, standing.progress, at));
        if (pct.signum() > 0) {
          long certAt = at + 2;
          standing.certification =
              new Rows.Certification(
                  e.learner().id(), e.course().id(), "in_progress", micros(certAt));
          changes.add(
              snapshotRead(SourceTable.CERTIFICATION_STATE, standing.certification, certAt));
        }
      }
    }
    for (int i = 0; i < 10; i++) {
      Roster.Enrollment e = anyEnrollment();
      long at = between(start, snapshotAt - SECOND);
      Step step = new Step(at, seq++, Kind.INTERACTION, e);
      step.detail = i % 2 == 0 ? "page_view" : "video_complete";
      step.duration =
          i % 2 == 0 ? 4_000 + random.nextInt(40_000) : 60_000 + random.nextInt(400_000);
      changes.add(snapshotRead(SourceTable.COURSE_INTERACTIONS, interaction(step), at));
    }
    for (int i = 0; i < 5; i++) {
      Roster.Enrollment e = anyEnrollment();
      long at = between(start, snapshotAt - SECOND);
      Step step = new Step(at, seq++, Kind.ATTEMPT, e);
      step.detail = e.course().id() + "-Q1";
      step.isFinal = i % 2 == 0 ? Boolean.TRUE : null;
      changes.add(snapshotRead(SourceTable.ASSESSMENT_EVENTS, attempt(step), at));
    }
    changes.sort(Comparator.comparingLong(c -> c.eventTime));
  }

  private PlannedChange snapshotRead(SourceTable table, Object row, long eventTime) {
    return new PlannedChange(table, Op.READ, row, null, eventTime, true);
  }

  /**
   * Plans one session: a burst of interactions, a progress update for the module worked on, and
   * sometimes a quiz (one to three attempts) with a second progress update. Returns how many
   * changes it will produce at most.
   */
  private int planSession() {
    Roster.Enrollment e = anyEnrollment();
    long t = between(snapshotAt + 5 * SECOND, end - 6 * MINUTE);
    int steps = 0;
    int interactions = 2 + random.nextInt(5);
    for (int i = 0; i < interactions; i++) {
      String kind = i == 0 ? "page_view" : nextKind();
      Step step = push(t, Kind.INTERACTION, e);
      step.detail = kind;
      step.duration = duration(kind);
      steps++;
      if (kind.equals("video_play")) {
        int watched = 30_000 + random.nextInt(300_000);
        t += watched;
        Step done = push(t, Kind.INTERACTION, e);
        done.detail = "video_complete";
        done.duration = watched;
        steps++;
      }
      t += between(4 * SECOND, 70 * SECOND);
    }
    push(t, Kind.PROGRESS, e);
    steps++;
    if (random.nextDouble() < 0.6) {
      String quiz = e.course().id() + "-Q" + (1 + random.nextInt(e.course().moduleCount()));
      int attempts = 1 + random.nextInt(3);
      for (int a = 0; a < attempts; a++) {
        t += between(40 * SECOND, 150 * SECOND);
        Step step = push(t, Kind.ATTEMPT, e);
        step.detail = quiz;
        boolean last = a == attempts - 1;
        double r = random.nextDouble();
        step.isFinal = last && r < 0.5 ? Boolean.TRUE : r < 0.75 ? null : Boolean.FALSE;
        steps++;
      }
      push(t + between(2 * SECOND, 10 * SECOND), Kind.PROGRESS, e);
      steps++;
    }
    return steps;
  }

  private void scheduleSpecials() {
    for (int i = 0; i < 2; i++) {
      push(between(start + (end - start) / 2, end - 3 * MINUTE), Kind.UNENROLL, anyEnrollment());
    }
    push(end - 40 * SECOND, Kind.TRUNCATE_CERTIFICATIONS, roster.enrollments.get(0));
  }

  private void replay(Step step) {
    if (step.time >= end) {
      return;
    }
    Standing standing = standing(step.enrollment);
    if (standing.unenrolled && step.kind != Kind.TRUNCATE_CERTIFICATIONS) {
      return;
    }
    switch (step.kind) {
      case INTERACTION:
        {
          Rows.Interaction row = interaction(step);
          PlannedChange change = create(SourceTable.COURSE_INTERACTIONS, row, step.time);
          if (row.kind().equals("video_complete") && random.nextDouble() < 0.03) {
            change.pinned = true;
            Step revise =
                push(
                    step.time + between(30 * SECOND, 2 * MINUTE),
                    Kind.REVISE_INTERACTION,
                    step.enrollment);
            revise.row = row;
          } else if (row.kind().equals("forum_post") && random.nextDouble() < 0.04) {
            change.pinned = true;
            Step remove =
                push(
                    step.time + between(MINUTE, 4 * MINUTE),
                    Kind.REMOVE_INTERACTION,
                    step.enrollment);
            remove.row = row;
          }
          break;
        }
      case ATTEMPT:
        {
          Rows.Attempt row = attempt(step);
          create(SourceTable.ASSESSMENT_EVENTS, row, step.time);
          double r = random.nextDouble();
          if (r < 0.03) {
            Step regrade =
                push(
                    step.time + between(MINUTE, 3 * MINUTE), Kind.REGRADE_ATTEMPT, step.enrollment);
            regrade.row = row;
          } else if (r < 0.045) {
            Step remove =
                push(step.time + between(MINUTE, 3 * MINUTE), Kind.REMOVE_ATTEMPT, step.enrollment);
            remove.row = row;
          }
          break;
        }
      case PROGRESS:
        progress(step, standing);
        break;
      case CERTIFY:
        certify(step, standing);
        break;
      case REVISE_INTERACTION:
        {
          Rows.Interaction before = (Rows.Interaction) step.row;
          Rows.Interaction after =
              new Rows.Interaction(
                  before.interactionId(),
                  before.learnerId(),
                  before.courseId(),
                  before.kind(),
                  before.durationMs() / 2,
                  before.occurredAtMillis());
          changes.add(
              new PlannedChange(
                  SourceTable.COURSE_INTERACTIONS, Op.UPDATE, after, before, step.time, false));
          break;
        }
      case REMOVE_INTERACTION:
        changes.add(
            new PlannedChange(
                SourceTable.COURSE_INTERACTIONS, Op.DELETE, step.row, null, step.time, false));
        break;
      case REGRADE_ATTEMPT:
        {
          Rows.Attempt before = (Rows.Attempt) step.row;
          Rows.Attempt after =
              new Rows.Attempt(
                  before.objectId(),
                  before.learnerId(),
                  before.courseId(),
                  before.assessmentId(),
                  Math.min(before.maxScore(), before.score() + 1),
                  before.maxScore(),
                  before.isFinal(),
                  before.submittedAtMillis());
          changes.add(
              new PlannedChange(
                  SourceTable.ASSESSMENT_EVENTS, Op.UPDATE, after, null, step.time, false));
          break;
        }
      case REMOVE_ATTEMPT:
        changes.add(
            new PlannedChange(
                SourceTable.ASSESSMENT_EVENTS, Op.DELETE, step.row, null, step.time, false));
        break;
      case UNENROLL:
        if (standing.progress != null) {
          changes.add(
              new PlannedChange(
                  SourceTable.LEARNER_PROGRESS,
                  Op.DELETE,
                  standing.progress,
                  null,
                  step.time,
                  false));
          standing.unenrolled = true;
        }
        break;
      case TRUNCATE_CERTIFICATIONS:
        changes.add(
            new PlannedChange(
                SourceTable.CERTIFICATION_STATE, Op.TRUNCATE, null, null, step.time, false));
        certificationsTruncated = true;
        for (Standing s : standings.values()) {
          s.certification = null;
        }
        break;
      default:
        throw new IllegalStateException(step.kind.name());
    }
  }

  private void progress(Step step, Standing standing) {
    Rows.Progress previous = standing.progress;
    if (previous != null && previous.status().equals("completed")) {
      return;
    }
    BigDecimal pct = previous == null ? BigDecimal.ZERO.setScale(2) : previous.progressPct();
    pct = pct.add(pct(4 + random.nextInt(15)));
    boolean completed = pct.compareTo(BigDecimal.valueOf(100)) >= 0;
    if (completed) {
      pct = new BigDecimal("100.00");
    }
    Roster.Enrollment e = step.enrollment;
    standing.progress =
        new Rows.Progress(
            e.learner().id(),
            e.course().id(),
            pct,
            completed ? "completed" : "in_progress",
            micros(step.time));
    changes.add(
        new PlannedChange(
            SourceTable.LEARNER_PROGRESS,
            previous == null ? Op.CREATE : Op.UPDATE,
            standing.progress,
            previous,
            step.time,
            false));
    if (certificationsTruncated) {
      return;
    }
    if (standing.certification == null) {
      long at = step.time + 3;
      standing.certification =
          new Rows.Certification(e.learner().id(), e.course().id(), "in_progress", micros(at));
      changes.add(
          new PlannedChange(
              SourceTable.CERTIFICATION_STATE, Op.CREATE, standing.certification, null, at, false));
    }
    if (completed) {
      Step certify = push(step.time + between(20 * SECOND, 90 * SECOND), Kind.CERTIFY, e);
      certify.detail = "eligible";
    }
  }

  private void certify(Step step, Standing standing) {
    Rows.Certification previous = standing.certification;
    if (certificationsTruncated || previous == null) {
      return;
    }
    Roster.Enrollment e = step.enrollment;
    standing.certification =
        new Rows.Certification(e.learner().id(), e.course().id(), step.detail, micros(step.time));
    changes.add(
        new PlannedChange(
            SourceTable.CERTIFICATION_STATE,
            Op.UPDATE,
            standing.certification,
            previous,
            step.time,
            false));
    if (step.detail.equals("eligible")) {
      Step issue = push(step.time + between(2 * MINUTE, 5 * MINUTE), Kind.CERTIFY, e);
      issue.detail = "issued";
    } else if (step.detail.equals("issued") && random.nextDouble() < 0.2) {
      Step revoke = push(step.time + between(3 * MINUTE, 6 * MINUTE), Kind.CERTIFY, e);
      revoke.detail = "revoked";
    }
  }

  private PlannedChange create(SourceTable table, Object row, long time) {
    PlannedChange change = new PlannedChange(table, Op.CREATE, row, null, time, false);
    changes.add(change);
    return change;
  }

  private Rows.Interaction interaction(Step step) {
    Roster.Enrollment e = step.enrollment;
    return new Rows.Interaction(
        nextInteractionId++,
        e.learner().id(),
        e.course().id(),
        step.detail,
        step.duration,
        step.time);
  }

  private Rows.Attempt attempt(Step step) {
    Roster.Enrollment e = step.enrollment;
    int[] maxima = {10, 20, 25, 100};
    int max = maxima[Math.floorMod(step.detail.hashCode(), maxima.length)];
    double pct = Math.max(0, Math.min(100, e.skillPct() + random.nextGaussian() * 14));
    double score = max == 100 ? Math.round(pct) : Math.round(pct * max / 50.0) / 2.0;
    return new Rows.Attempt(
        objectId(step.time),
        e.learner().id(),
        e.course().id(),
        step.detail,
        score,
        max,
        step.isFinal,
        step.time);
  }

  /** An ObjectId as a driver makes it: seconds, a per-process random value, a counter. */
  private String objectId(long millis) {
    return String.format(
        Locale.ROOT, "%08x%s%06x", millis / 1_000L, "5f1c2a9e7d", objectIdCounter++ & 0xffffff);
  }

  /** Records the changes make in Kafka: a delete is followed by its tombstone. */
  private int records() {
    int deletes = 0;
    for (PlannedChange c : changes) {
      if (c.op == Op.DELETE) {
        deletes++;
      }
    }
    return changes.size() + deletes;
  }

  /** Drops interactions nobody refers to, spread over the day, until {@code count} remain. */
  private void trimTo(int count) {
    List<PlannedChange> trimmable = new ArrayList<>();
    for (PlannedChange c : changes) {
      if (c.table == SourceTable.COURSE_INTERACTIONS && c.op == Op.CREATE && !c.pinned) {
        trimmable.add(c);
      }
    }
    int surplus = records() - count;
    if (surplus > trimmable.size()) {
      throw new IllegalStateException("planned " + changes.size() + " changes, wanted " + count);
    }
    Set<PlannedChange> dropped = Collections.newSetFromMap(new IdentityHashMap<>());
    while (dropped.size() < surplus) {
      dropped.add(trimmable.get(random.nextInt(trimmable.size())));
    }
    changes.removeIf(dropped::contains);
  }

  private String nextKind() {
    double r = random.nextDouble();
    if (r < 0.35) {
      return "page_view";
    } else if (r < 0.65) {
      return "video_play";
    } else if (r < 0.8) {
      return "forum_post";
    }
    return "download";
  }

  private Integer duration(String kind) {
    switch (kind) {
      case "page_view":
        return 1_500 + random.nextInt(45_000);
      default:
        return null;
    }
  }

  private Step push(long time, Kind kind, Roster.Enrollment e) {
    Step step = new Step(time, seq++, kind, e);
    queue.add(step);
    return step;
  }

  private Standing standing(Roster.Enrollment e) {
    return standings.computeIfAbsent(e, k -> new Standing());
  }

  private Roster.Enrollment anyEnrollment() {
    return roster.enrollments.get(random.nextInt(roster.enrollments.size()));
  }

  private long between(long from, long to) {
    return from + random.nextLong(to - from);
  }

  /** A percentage with two decimals, as numeric(5,2) holds it. */
  private BigDecimal pct(int whole) {
    return BigDecimal.valueOf(whole * 100L + random.nextInt(100), 2);
  }

  private static long micros(long millis) {
    return millis * 1_000L + Math.floorMod(millis * 7919L, 1_000L);
  }
}
