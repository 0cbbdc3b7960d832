# Inputs of the single-instance AWS deployment (docs/deploy-aws.md). Put values in a
# terraform.tfvars next to this file; it is git-ignored.

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-central-1"
}

variable "name" {
  description = "Prefix of every resource name, and the Project tag."
  type        = string
  default     = "backupd"
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_cidr" {
  description = "Address range of the VPC."
  type        = string
  default     = "10.42.0.0/16"
}

variable "subnet_cidr" {
  description = "Address range of the one public subnet, inside vpc_cidr."
  type        = string
  default     = "10.42.1.0/24"
}

variable "availability_zone" {
  description = "Availability zone of the subnet, the instance and the backups volume; null picks the region's first."
  type        = string
  default     = null
}

variable "instance_type" {
  description = "EC2 instance type. t3.small (2 vCPU, 2 GiB) holds the daemon and MariaDB."
  type        = string
  default     = "t3.small"
}

variable "ssh_key_name" {
  description = "Name of an existing EC2 key pair, for SSH as 'admin' (Debian's AMIs ship neither the SSM agent nor EC2 Instance Connect)."
  type        = string
}

variable "admin_cidr" {
  description = "The one address range allowed to SSH (port 22), e.g. \"203.0.113.7/32\"."
  type        = string

  validation {
    condition     = can(cidrhost(var.admin_cidr, 0))
    error_message = "admin_cidr must be a CIDR block such as 203.0.113.7/32."
  }
}

variable "api_cidrs" {
  description = "Address ranges allowed to call the API (port 443 with domain_name, else api_port)."
  type        = list(string)

  validation {
    condition     = length(var.api_cidrs) > 0 && alltrue([for cidr in var.api_cidrs : can(cidrhost(cidr, 0))])
    error_message = "api_cidrs must be a non-empty list of CIDR blocks."
  }
}

variable "api_port" {
  description = "Port the daemon listens on. Without domain_name it is the public API port; with it, the daemon listens on 127.0.0.1 behind Caddy."
  type        = number
  default     = 8080

  validation {
    condition     = var.api_port > 0 && var.api_port < 65536 && var.api_port != 80 && var.api_port != 443
    error_message = "api_port must be a TCP port other than 80 and 443 (those are Caddy's)."
  }
}

variable "domain_name" {
  description = "DNS name of the API (e.g. backup.example.com). Set: Caddy terminates TLS on 443 with a Let's Encrypt certificate and port 80 opens to the world for the ACME HTTP challenge. Empty: plain HTTP on api_port."
  type        = string
  default     = ""
}

variable "acme_email" {
  description = "Contact e-mail for Let's Encrypt (expiry notices); optional."
  type        = string
  default     = ""
}

variable "route53_zone_id" {
  description = "Hosted zone to create domain_name's A record in; null: create the record yourself at your DNS provider."
  type        = string
  default     = null
}

variable "deb_url" {
  description = "HTTPS URL of the backupd .deb to install (the Jenkins artifact copied to your own storage, or an S3 pre-signed URL). Fetched once, at first boot."
  type        = string

  validation {
    condition     = can(regex("^https://", var.deb_url))
    error_message = "deb_url must be an https:// URL."
  }
}

variable "deb_sha256" {
  description = "SHA-256 of the .deb; when set, the instance refuses a download that does not match."
  type        = string
  default     = ""

  validation {
    condition     = var.deb_sha256 == "" || can(regex("^[0-9a-f]{64}$", var.deb_sha256))
    error_message = "deb_sha256 must be empty or 64 lowercase hex digits."
  }
}

variable "api_token_ssm_parameter" {
  description = "Name of the SSM SecureString parameter holding the API token(s), one per line. The instance reads it at boot with its IAM role."
  type        = string
  default     = "/backupd/api-token"

  validation {
    condition     = can(regex("^/[a-zA-Z0-9_.\\-/]+$", var.api_token_ssm_parameter))
    error_message = "api_token_ssm_parameter must be a fully qualified SSM parameter name such as /backupd/api-token."
  }
}

variable "create_api_token_parameter" {
  description = "true: Terraform creates api_token_ssm_parameter with the value of api_token (which then also sits in the Terraform state). false (preferred): create it yourself with `aws ssm put-parameter` (docs/deploy-aws.md)."
  type        = bool
  default     = false
}

variable "api_token" {
  description = "The API token(s), one per line; only used with create_api_token_parameter = true."
  type        = string
  default     = ""
  sensitive   = true
}

variable "api_token_kms_key_arn" {
  description = "ARN of the customer managed KMS key encrypting the token parameter; null for the AWS managed key alias/aws/ssm."
  type        = string
  default     = null
}

variable "backups_volume_size" {
  description = "Size in GiB of the EBS volume holding the snapshots and the MariaDB data."
  type        = number
  default     = 50
}

variable "backups_volume_type" {
  description = "EBS volume type of the backups volume."
  type        = string
  default     = "gp3"
}

variable "root_volume_size" {
  description = "Size in GiB of the root volume."
  type        = number
  default     = 16
}

variable "ebs_snapshot_time" {
  description = "UTC time of day (HH:MM) of the daily EBS snapshot."
  type        = string
  default     = "03:00"
}

variable "source_root" {
  description = "Directory on the instance holding the folders to back up (backupd --source-root); mount or sync your data there."
  type        = string
  default     = "/srv/backupd-sources"
}

variable "ebs_snapshots_keep" {
  description = "Daily EBS snapshots of the backups volume (Data Lifecycle Manager) to keep; 0 takes none."
  type        = number
  default     = 7
}
