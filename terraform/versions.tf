terraform {
  # Remote state (recommended for a team): uncomment, create the bucket first (versioned,
  # uniform access, readable only by the deployers), then `terraform init -migrate-state`.
  # The state holds the Memorystore AUTH string (google_redis_instance.auth_string) and any
  # credential given as a variable (secrets.tf): protect the bucket as you would the secrets.
  #
  # backend "gcs" {
  #   bucket = "my-project-terraform-state"
  #   prefix = "learner-pulse"
  # }

  # 1.9: variable validations that refer to other variables (max_workers, bigquery_upserts).
  required_version = ">= 1.9"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0, < 8.0"
    }
    # google_dataflow_flex_template_job is a beta resource.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = ">= 6.0, < 8.0"
    }
    # Optional: confluent.tf, only when confluent_environment_id is set.
    confluent = {
      source  = "confluentinc/confluent"
      version = ">= 2.0, < 3.0"
    }
  }
}

provider "google" {
  project = var.project
  region  = var.region
}

provider "google-beta" {
  project = var.project
  region  = var.region
}

# A Confluent Cloud API key (cloud scope, not the cluster's) for confluent.tf; unused when
# confluent_environment_id is null. Pass it as CONFLUENT_CLOUD_API_KEY/SECRET in the environment
# instead of variables to keep it out of tfvars.
provider "confluent" {
  cloud_api_key    = var.confluent_cloud_api_key
  cloud_api_secret = var.confluent_cloud_api_secret
}
