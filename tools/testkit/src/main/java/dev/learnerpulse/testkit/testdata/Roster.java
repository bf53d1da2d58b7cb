package dev.learnerpulse.testkit.testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who learns what: tenants, their learners (in cohorts and countries) and courses, and who is
 * enrolled where. One learner and one course take part in the day but are never published to the
 * reference topics, so enrichment has a miss to show.
 */
final class Roster {
  static final List<String> TENANTS =
      List.of("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka");

  private static final List<String> COUNTRIES =
      List.of("DE", "US", "GB", "FR", "IN", "BR", "PL", "JP", "NL", "ES");
  private static final List<String> TITLES =
      List.of(
          "Data Privacy Essentials",
          "Kubernetes Fundamentals",
          "Leading Remote Teams",
          "SQL for Analysts",
          "Secure Coding in Java",
          "Negotiation Skills",
          "Intro to Machine Learning",
          "Customer Success Basics",
          "Workplace Safety",
          "Financial Literacy");
  private static final List<String> COHORTS = List.of("2026-q3", "2026-q4a", "2026-q4b");

  /** A learner as the {@code learners} table holds it. */
  record Learner(String id, String tenant, String cohort, String country) {}

  /** A course as the {@code courses} table holds it. */
  record Course(
      String id, String tenant, String title, BigDecimal passingScorePct, int moduleCount) {}

  /** A learner taking a course; the key of progress and certification rows. */
  record Enrollment(Learner learner, Course course, double skillPct) {}

  final List<String> tenants;

  /** Learners published to the learners topic. */
  final List<Learner> learners;

  /** Courses published to the courses topic. */
  final List<Course> courses;

  /** Active, but absent from the learners topic. */
  final Learner unlistedLearner;

  /** Taught, but absent from the courses topic. */
  final Course unlistedCourse;

  final List<Enrollment> enrollments;

  private Roster(
      List<String> tenants,
      List<Learner> learners,
      List<Course> courses,
      Learner unlistedLearner,
      Course unlistedCourse,
      List<Enrollment> enrollments) {
    this.tenants = tenants;
    this.learners = learners;
    this.courses = courses;
    this.unlistedLearner = unlistedLearner;
    this.unlistedCourse = unlistedCourse;
    this.enrollments = enrollments;
  }

  static Roster create(GeneratorConfig config, SplittableRandom random) {
    List<String> tenants = TENANTS.subList(0, config.tenants());
    List<Course> allCourses = new ArrayList<>();
    for (int i = 1; i <= config.courses() + 1; i++) {
      String tenant = tenants.get((i - 1) % tenants.size());
      BigDecimal passing = BigDecimal.valueOf(6000 + 250L * random.nextInt(9), 2);
      allCourses.add(
          new Course(
              String.format("C%02d", i),
              tenant,
              TITLES.get((i - 1) % TITLES.size()),
              passing,
              4 + random.nextInt(9)));
    }
    List<Learner> allLearners = new ArrayList<>();
    for (int i = 1; i <= config.learners() + 1; i++) {
      String tenant = tenants.get(random.nextInt(tenants.size()));
      allLearners.add(
          new Learner(
              String.format("L%03d", i),
              tenant,
              tenant + "-" + COHORTS.get(random.nextInt(COHORTS.size())),
              COUNTRIES.get(random.nextInt(COUNTRIES.size()))));
    }
    List<Enrollment> enrollments = new ArrayList<>();
    Course unlistedCourse = allCourses.get(allCourses.size() - 1);
    Learner unlistedLearner = allLearners.get(allLearners.size() - 1);
    for (Learner learner : allLearners) {
      List<Course> offered = new ArrayList<>();
      for (Course course : allCourses) {
        if (course.tenant().equals(learner.tenant())) {
          offered.add(course);
        }
      }
      int count = Math.min(offered.size(), 1 + random.nextInt(3));
      for (int k = 0; k < count; k++) {
        Course course = offered.remove(random.nextInt(offered.size()));
        enrollments.add(new Enrollment(learner, course, 55 + random.nextInt(38)));
      }
    }
    boolean unlistedCourseTaught =
        enrollments.stream().anyMatch(e -> e.course().equals(unlistedCourse));
    if (!unlistedCourseTaught) {
      Learner taker =
          allLearners.stream()
              .filter(l -> l.tenant().equals(unlistedCourse.tenant()))
              .findFirst()
              .orElseThrow();
      enrollments.add(new Enrollment(taker, unlistedCourse, 70));
    }
    return new Roster(
        tenants,
        List.copyOf(allLearners.subList(0, allLearners.size() - 1)),
        List.copyOf(allCourses.subList(0, allCourses.size() - 1)),
        unlistedLearner,
        unlistedCourse,
        List.copyOf(enrollments));
  }
}
