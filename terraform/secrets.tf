# Credentials the job reads from Secret Manager at run time. The pipeline is given secret
# version names, never values.
#
# Confluent and Schema Registry credentials: the secrets are created empty; add a version
# outside Terraform (`gcloud secrets versions add ... --data-file=-`), which keeps the values out
# of the Terraform state. Setting the sensitive variables instead makes Terraform add the version,
# and then the value IS stored in the state, in plain text: protect the state accordingly.
#
# The Redis AUTH string comes from the instance itself and is always in the state (the
# provider stores google_redis_instance.auth_string there); Terraform copies it into a secret
# version so the job never sees it as a parameter.

locals {
  # The names are static (for_each must not depend on sensitive values); the values may be null.
  # confluent_api_key/secret are the SASL user and password (PLAIN or SCRAM); with SSL the
  # client certificate and its PKCS#8 key (PEM) authenticate instead (mutual TLS).
  credential_names = toset(concat(
    [
      "confluent_api_key",
      "confluent_api_secret",
      "schema_registry_api_key",
      "schema_registry_api_secret",
    ],
    var.kafka_security_protocol == "SSL" ? ["kafka_client_certificate", "kafka_client_key"] : [],
    var.kafka_private_ca ? ["kafka_ca_certificates"] : [],
  ))
  credential_values = {
    confluent_api_key          = var.confluent_api_key
    confluent_api_secret       = var.confluent_api_secret
    schema_registry_api_key    = var.schema_registry_api_key
    schema_registry_api_secret = var.schema_registry_api_secret
    kafka_client_certificate   = null
    kafka_client_key           = null
    kafka_ca_certificates      = null
  }
}

resource "google_secret_manager_secret" "credential" {
  for_each = local.credential_names

  secret_id = "${var.name_prefix}-${replace(each.key, "_", "-")}"

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_version" "credential" {
  # Only for the values given as variables; see the note above.
  for_each = toset([
    for name in local.credential_names : name if nonsensitive(local.credential_values[name] != null)
  ])

  secret      = google_secret_manager_secret.credential[each.key].id
  secret_data = local.credential_values[each.key]
}

resource "google_secret_manager_secret" "redis_auth" {
  secret_id = "${var.name_prefix}-redis-auth"

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_version" "redis_auth" {
  secret      = google_secret_manager_secret.redis_auth.id
  secret_data = google_redis_instance.dashboard.auth_string
}

# Memorystore's in-transit encryption signs the server certificate with a per-instance CA (two of
# them while one is rotated): the job trusts exactly these (--redisCaCertificate), read on the
# workers. Certificates are public; a secret keeps them beside the AUTH string for the workers.
resource "google_secret_manager_secret" "redis_ca" {
  secret_id = "${var.name_prefix}-redis-ca"

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_version" "redis_ca" {
  secret      = google_secret_manager_secret.redis_ca.id
  secret_data = join("", [for ca in google_redis_instance.dashboard.server_ca_certs : ca.cert])
}
