# Optional, for Confluent Cloud (confluentinc/confluent provider): the dead-letter topic, the
# job's service account with exactly the ACLs it needs, and the expectations the job has of the
# six source topics (checked at plan time; Debezium owns those topics, Terraform never changes
# them). Nothing here is created while confluent_environment_id is null.
#
# The job's API key is NOT created here: a key Terraform creates is stored in the state. Create it
# for the service account (`confluent api-key create --service-account <id> --resource <lkc>`)
# and add it as versions of the confluent-api-key/-secret secrets (secrets.tf).
locals {
  confluent = var.confluent_environment_id != null
  source_topics = {
    learner_progress    = { name = var.topics.learner_progress, compacted = false }
    course_interactions = { name = var.topics.course_interactions, compacted = false }
    assessment_events   = { name = var.topics.assessment_events, compacted = false }
    certification_state = { name = var.topics.certification_state, compacted = false }
    courses             = { name = var.topics.courses, compacted = true }
    learners            = { name = var.topics.learners, compacted = true }
  }
  confluent_rest = {
    id            = var.confluent_cluster_id
    rest_endpoint = var.confluent_cluster_rest_endpoint
  }
}

resource "confluent_service_account" "learner_pulse" {
  count        = local.confluent ? 1 : 0
  display_name = "${var.name_prefix}-job"
  description  = "Learner Pulse streaming job: reads the change topics, writes dead letters."
}

resource "confluent_kafka_topic" "dead_letters" {
  count = local.confluent && var.dead_letter_topic != null ? 1 : 0

  kafka_cluster {
    id = local.confluent_rest.id
  }
  rest_endpoint    = local.confluent_rest.rest_endpoint
  topic_name       = var.dead_letter_topic
  partitions_count = var.dead_letter_partitions
  config = {
    "cleanup.policy" = "delete"
    "retention.ms"   = tostring(var.dead_letter_retention_days * 24 * 3600 * 1000)
  }
  credentials {
    key    = var.confluent_cluster_api_key
    secret = var.confluent_cluster_api_secret
  }
}

# READ on the six source topics and the consumer group, WRITE on the dead-letter topic, DESCRIBE
# on the cluster (the launch check lists topics): nothing else.
locals {
  confluent_acls = !local.confluent ? {} : merge(
    { for key, topic in local.source_topics : "read_${key}" => { type = "TOPIC", name = topic.name, operation = "READ" } },
    {
      consumer_group   = { type = "GROUP", name = var.kafka_consumer_group, operation = "READ" }
      describe_cluster = { type = "CLUSTER", name = "kafka-cluster", operation = "DESCRIBE" }
    },
    var.dead_letter_topic == null ? {} : {
      write_dead_letters = { type = "TOPIC", name = var.dead_letter_topic, operation = "WRITE" }
    },
  )
}

resource "confluent_kafka_acl" "job" {
  for_each = local.confluent_acls

  kafka_cluster {
    id = local.confluent_rest.id
  }
  resource_type = each.value.type
  resource_name = each.value.name
  pattern_type  = "LITERAL"
  principal     = "User:${confluent_service_account.learner_pulse[0].id}"
  host          = "*"
  operation     = each.value.operation
  permission    = "ALLOW"
  rest_endpoint = local.confluent_rest.rest_endpoint
  credentials {
    key    = var.confluent_cluster_api_key
    secret = var.confluent_cluster_api_secret
  }
}

# What the job expects of the source topics: they exist, and the reference topics are compacted
# (the job reads them whole at every start). A failed expectation is a plan-time warning.
data "confluent_kafka_topic" "source" {
  for_each = local.confluent ? local.source_topics : {}

  kafka_cluster {
    id = local.confluent_rest.id
  }
  topic_name    = each.value.name
  rest_endpoint = local.confluent_rest.rest_endpoint
  credentials {
    key    = var.confluent_cluster_api_key
    secret = var.confluent_cluster_api_secret
  }
}

check "source_topics" {
  assert {
    condition = alltrue([
      for key, topic in local.source_topics :
      !topic.compacted || try(data.confluent_kafka_topic.source[key].config["cleanup.policy"], "compact") == "compact"
    ])
    error_message = "The reference topics (courses, learners) must be compacted (cleanup.policy=compact)."
  }
}

output "confluent_service_account_id" {
  description = "The job's Confluent service account: create its API key for it (see confluent.tf)."
  value       = local.confluent ? confluent_service_account.learner_pulse[0].id : null
}
