package dev.learnerpulse.testkit.testdata;

import static dev.learnerpulse.testkit.testdata.Cells.NODES;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Debezium's MongoDB connector on change streams ({@code capture.mode=change_streams_update_full},
 * no pre-images): {@code after} is the document as an Extended JSON string, deletes carry neither
 * {@code before} nor {@code after}, and the position is the cluster time's second ({@code ts_ms})
 * with its increment ({@code ord}).
 */
final class MongoConnector extends SourceConnector {
  /** The MongoDB Java driver's JSON spacing: {@code {"a": 1, "b": 2}}. */
  private static final ObjectWriter DRIVER_JSON = JSON.writer(new DriverSpacing());

  private final Map<Long, Integer> ordBySecond = new HashMap<>();

  MongoConnector(SplittableRandom random, long snapshotTs) {
    super(random, snapshotTs);
  }

  @Override
  ObjectNode key(PlannedChange change) {
    ObjectNode key = NODES.objectNode();
    key.put("id", driverJson(Cells.objectId(((Rows.Attempt) change.row).objectId())));
    return key;
  }

  @Override
  ObjectNode row(Object row, WireFormat format) {
    Rows.Attempt a = (Rows.Attempt) row;
    boolean wholePoints = a.score() == Math.rint(a.score());
    ObjectNode doc = NODES.objectNode();
    doc.set("_id", Cells.objectId(a.objectId()));
    doc.put("learner_id", a.learnerId());
    doc.put("course_id", a.courseId());
    doc.put("assessment_id", a.assessmentId());
    doc.set("score", Cells.mongoNumber(a.score(), wholePoints, format));
    doc.set("max_score", Cells.mongoNumber(a.maxScore(), true, format));
    if (a.isFinal() != null) {
      doc.put("final", a.isFinal());
    }
    doc.set("submitted_at", Cells.mongoDate(a.submittedAtMillis(), format));
    return doc;
  }

  @Override
  void putRows(
      ObjectNode envelope,
      PlannedChange change,
      @Nullable ObjectNode row,
      @Nullable ObjectNode before) {
    envelope.putNull("before");
    switch (change.op) {
      case DELETE:
        envelope.putNull("after");
        break;
      default:
        String document = driverJson(row);
        envelope.put(
            "after", change.defect == null ? document : change.defect.corruptDocument(document));
    }
    envelope.putNull("updateDescription");
  }

  @Override
  ObjectNode source(PlannedChange change, long sourceTs) {
    long second = Math.floorDiv(sourceTs, 1_000L) * 1_000L;
    int ord = ordBySecond.merge(second, 1, Integer::sum);
    ObjectNode source = sourceHead("mongodb", "assessments", second, change.snapshotMarker);
    source.putNull("sequence");
    putSourceMicros(source, second);
    source.put("rs", "rs0");
    source.put("collection", "assessment_events");
    source.put("ord", ord);
    source.putNull("lsid");
    source.putNull("txnNumber");
    source.put("wallTime", sourceTs);
    return source;
  }

  static String driverJson(ObjectNode node) {
    try {
      return DRIVER_JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class DriverSpacing extends MinimalPrettyPrinter {
    private static final long serialVersionUID = 1L;

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }
}
