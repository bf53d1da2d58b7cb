-- The latest pane of each learner, course and window. Panes accumulate, so the pane with the
-- greatest pane_index replaces every earlier one (docs/contract.md §4.1); the table keeps them all
-- unless the sink upserts. Terraform fills in project and dataset with templatefile().
-- A filter on window_start in a query over this view still prunes partitions, because
-- window_start is one of the PARTITION BY columns.
SELECT *
FROM `${project}.${dataset}.learner_window_metrics`
WHERE TRUE -- BigQuery has required a WHERE, GROUP BY or HAVING beside QUALIFY.
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY learner_id, course_id, window_start
  ORDER BY pane_index DESC
) = 1
