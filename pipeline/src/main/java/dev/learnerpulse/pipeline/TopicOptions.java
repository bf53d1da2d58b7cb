package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The topic of each source table; defaults are the contract's. */
public interface TopicOptions extends PipelineOptions {
  @Description("Topic of learner_progress changes (PostgreSQL).")
  @Default.String("lxp.public.learner_progress")
  String getLearnerProgressTopic();

  void setLearnerProgressTopic(String value);

  @Description("Topic of course_interactions changes (MySQL).")
  @Default.String("lxp.engagement.course_interactions")
  String getCourseInteractionsTopic();

  void setCourseInteractionsTopic(String value);

  @Description("Topic of assessment_events changes (MongoDB).")
  @Default.String("lxp.assessments.assessment_events")
  String getAssessmentEventsTopic();

  void setAssessmentEventsTopic(String value);

  @Description("Topic of certification_state changes (PostgreSQL).")
  @Default.String("lxp.public.certification_state")
  String getCertificationStateTopic();

  void setCertificationStateTopic(String value);

  @Description("Compacted reference topic of courses (PostgreSQL).")
  @Default.String("lxp.public.courses")
  String getCoursesTopic();

  void setCoursesTopic(String value);

  @Description("Compacted reference topic of learners (PostgreSQL).")
  @Default.String("lxp.public.learners")
  String getLearnersTopic();

  void setLearnersTopic(String value);
}
