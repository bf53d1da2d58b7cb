package dev.learnerpulse.sinks.bigquery;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableConstraints;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;

/**
 * Beam's in-memory BigQuery with one empty dataset. The fakes keep their tables in static fields
 * and BigQueryIO caches created tables and schemas statically, so {@link #reset()} clears both and
 * every test starts from nothing.
 */
public final class FakeWarehouse {
  public static final String PROJECT = "learner-pulse-test";
  public static final String DATASET = "warehouse";

  final FakeDatasetService datasets = new FakeDatasetService();
  public final FakeBigQueryServices services =
      new FakeBigQueryServices().withDatasetService(datasets).withJobService(new FakeJobService());

  private FakeWarehouse() {}

  public static FakeWarehouse reset() throws Exception {
    FakeDatasetService.setUp();
    clearBigQueryIoCaches();
    FakeWarehouse warehouse = new FakeWarehouse();
    warehouse.datasets.createDataset(PROJECT, DATASET, "", "", null);
    return warehouse;
  }

  /** Creates the three tables as Terraform would, with the metrics primary key for upserts. */
  public FakeWarehouse withTables(boolean metricsPrimaryKey) throws Exception {
    for (WarehouseTable table : WarehouseTable.values()) {
      Table definition =
          new Table()
              .setTableReference(reference(table))
              .setSchema(table.schema())
              .setTimePartitioning(table.timePartitioning())
              .setClustering(table.clustering());
      if (metricsPrimaryKey && table == WarehouseTable.LEARNER_WINDOW_METRICS) {
        definition.setTableConstraints(
            new TableConstraints()
                .setPrimaryKey(
                    new TableConstraints.PrimaryKey()
                        .setColumns(WarehouseTable.METRICS_PRIMARY_KEY)));
      }
      datasets.createTable(definition);
    }
    return this;
  }

  /**
   * Makes BigQuery refuse every row for which {@code refuse} holds (rows as BigQuery reads them).
   */
  FakeWarehouse refusing(SerializablePredicate refuse) {
    datasets.setShouldFailRow((Function<TableRow, Boolean> & Serializable) refuse::test);
    return this;
  }

  /**
   * The rows that landed in {@code table}, as plain maps (the fake renders every value as text).
   */
  public List<Map<String, Object>> rows(WarehouseTable table) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TableRow row : datasets.getAllRows(PROJECT, DATASET, table.defaultName())) {
      rows.add(new LinkedHashMap<>(row));
    }
    return rows;
  }

  Table table(WarehouseTable table) throws Exception {
    return datasets.getTable(reference(table));
  }

  private static TableReference reference(WarehouseTable table) {
    return new TableReference()
        .setProjectId(PROJECT)
        .setDatasetId(DATASET)
        .setTableId(table.defaultName());
  }

  /** {@code BigQueryIO.clearStaticCaches()} is package-private (Beam 2.70 to 2.73). */
  private static void clearBigQueryIoCaches() throws Exception {
    Method clear = BigQueryIO.class.getDeclaredMethod("clearStaticCaches");
    clear.setAccessible(true);
    clear.invoke(null);
  }

  interface SerializablePredicate extends Serializable {
    boolean test(TableRow row);
  }
}
