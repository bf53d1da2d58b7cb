package dev.learnerpulse.testkit.testdata;

import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.testkit.testdata.WireFormat.Connector;
import dev.learnerpulse.testkit.testdata.WireFormat.DecimalMode;
import dev.learnerpulse.testkit.testdata.WireFormat.ExtendedJsonMode;

/**
 * The connectors are redeployed during the day with different converter settings, which is how one
 * topic comes to hold every wire format the contract accepts. The format of a record depends on
 * when Kafka stamps it, as a fraction of the day's span.
 */
final class Deployments {
  private final long start;
  private final long span;

  Deployments(GeneratorConfig config) {
    this.start = config.startMillis();
    this.span = config.endMillis() - start;
  }

  static Connector connector(SourceTable table) {
    switch (table) {
      case COURSE_INTERACTIONS:
        return Connector.MYSQL;
      case ASSESSMENT_EVENTS:
        return Connector.MONGODB;
      default:
        return Connector.POSTGRESQL;
    }
  }

  WireFormat format(SourceTable table, long kafkaTs) {
    double f = (kafkaTs - start) / (double) span;
    switch (connector(table)) {
      case POSTGRESQL:
        if (f < 0.25) {
          return new WireFormat(true, DecimalMode.PRECISE, ExtendedJsonMode.RELAXED);
        } else if (f < 0.5) {
          return new WireFormat(false, DecimalMode.STRING, ExtendedJsonMode.RELAXED);
        } else if (f < 0.75) {
          return new WireFormat(false, DecimalMode.DOUBLE, ExtendedJsonMode.RELAXED);
        }
        return new WireFormat(false, DecimalMode.PRECISE, ExtendedJsonMode.RELAXED);
      case MYSQL:
        return new WireFormat(f < 0.2 || f >= 0.9, DecimalMode.PRECISE, ExtendedJsonMode.RELAXED);
      default:
        ExtendedJsonMode mode =
            f < 0.4
                ? ExtendedJsonMode.RELAXED
                : f < 0.7 ? ExtendedJsonMode.CANONICAL : ExtendedJsonMode.LEGACY;
        return new WireFormat(f < 0.2, DecimalMode.PRECISE, mode);
    }
  }
}
