# One backupd host on AWS (docs/deploy-aws.md):
#   VPC -> one public subnet -> EC2 instance (Debian 12) running the backupd .deb and a local
#   MariaDB, provisioned by cloud-init; a separate encrypted EBS volume holds the snapshots and
#   the MariaDB data, so the instance can be replaced without losing either. With domain_name,
#   Caddy terminates TLS on 443 (Let's Encrypt); without it, the API is plain HTTP on api_port.
#   The API token lives in SSM Parameter Store (SecureString); the instance reads it with its
#   IAM role at boot and every 15 minutes (backupd-refresh-token).

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

# Debian's official images (https://wiki.debian.org/Cloud/AmazonEC2Image).
data "aws_ami" "debian12" {
  most_recent = true
  owners      = ["136693071363"]

  filter {
    name   = "name"
    values = ["debian-12-amd64-*"]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

locals {
  availability_zone = coalesce(var.availability_zone, data.aws_availability_zones.available.names[0])
  tls               = var.domain_name != ""
  # The daemon is public only without TLS; behind Caddy it listens on loopback.
  listen              = local.tls ? "127.0.0.1:${var.api_port}" : "0.0.0.0:${var.api_port}"
  public_api_port     = local.tls ? 443 : var.api_port
  api_url             = local.tls ? "https://${var.domain_name}" : "http://${aws_eip.backupd.public_ip}:${var.api_port}"
  token_parameter_arn = "arn:${data.aws_partition.current.partition}:ssm:${var.region}:${data.aws_caller_identity.current.account_id}:parameter${var.api_token_ssm_parameter}"

  # Read by the provisioning scripts on the instance (/etc/backupd/provision.env), one
  # single-quoted shell assignment per line.
  provision_env = {
    AWS_REGION          = var.region
    API_TOKEN_PARAMETER = var.api_token_ssm_parameter
    ACME_EMAIL          = var.acme_email
    DEB_SHA256          = var.deb_sha256
    DEB_URL             = var.deb_url
    DOMAIN_NAME         = var.domain_name
    LISTEN              = local.listen
    SOURCE_ROOT         = var.source_root
    # Nitro instances name an EBS volume after its id; Xen ones use the attachment's name.
    BACKUPS_DEVICE     = "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${replace(aws_ebs_volume.backups.id, "-", "")}"
    BACKUPS_DEVICE_XEN = "/dev/xvdf"
  }
  provision_env_text = join("\n", [for key, value in local.provision_env : "${key}='${replace(value, "'", "'\\''")}'"])
}

# --- network ---------------------------------------------------------------------------------

resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = var.name }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id

  tags = { Name = var.name }
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = var.subnet_cidr
  availability_zone = local.availability_zone

  tags = { Name = "${var.name}-public" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }

  tags = { Name = "${var.name}-public" }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "backupd" {
  name_prefix = "${var.name}-"
  description = "backupd: API from api_cidrs, SSH from admin_cidr"
  vpc_id      = aws_vpc.main.id

  tags = { Name = var.name }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.backupd.id
  description       = "SSH from the admin range"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = var.admin_cidr
}

resource "aws_vpc_security_group_ingress_rule" "api" {
  for_each = toset(var.api_cidrs)

  security_group_id = aws_security_group.backupd.id
  description       = local.tls ? "HTTPS API (Caddy)" : "HTTP API (backupd)"
  ip_protocol       = "tcp"
  from_port         = local.public_api_port
  to_port           = local.public_api_port
  cidr_ipv4         = each.value
}

# Let's Encrypt validates from addresses it does not publish: the HTTP-01 challenge needs port
# 80 open to everyone. Caddy answers only the challenge and redirects the rest to HTTPS.
resource "aws_vpc_security_group_ingress_rule" "acme_http" {
  count = local.tls ? 1 : 0

  security_group_id = aws_security_group.backupd.id
  description       = "ACME HTTP-01 challenge and redirect to HTTPS (Caddy)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.backupd.id
  description       = "Packages, SSM, Let's Encrypt"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# --- the API token in SSM, and the instance's role ---------------------------------------------

# Only with create_api_token_parameter: the value then also sits in the Terraform state.
resource "aws_ssm_parameter" "api_token" {
  count = var.create_api_token_parameter ? 1 : 0

  name        = var.api_token_ssm_parameter
  description = "backupd API token(s), one per line"
  type        = "SecureString"
  key_id      = var.api_token_kms_key_arn
  value       = var.api_token
}

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "instance" {
  statement {
    sid       = "ReadApiToken"
    actions   = ["ssm:GetParameter"]
    resources = [local.token_parameter_arn]
  }

  # The AWS managed key aws/ssm needs no grant; a customer managed key does.
  dynamic "statement" {
    for_each = var.api_token_kms_key_arn == null ? [] : [var.api_token_kms_key_arn]

    content {
      sid       = "DecryptApiToken"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${var.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role" "instance" {
  name_prefix        = "${var.name}-instance-"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

resource "aws_iam_role_policy" "instance" {
  name   = "read-api-token"
  role   = aws_iam_role.instance.id
  policy = data.aws_iam_policy_document.instance.json
}

resource "aws_iam_instance_profile" "instance" {
  name_prefix = "${var.name}-"
  role        = aws_iam_role.instance.name
}

# --- storage -----------------------------------------------------------------------------------

# The snapshots (/var/lib/backupd/backups) and the MariaDB data (/var/lib/mysql) live here,
# bind-mounted from one ext4 file system, so replacing the instance keeps both. terraform
# destroy refuses to delete it: see docs/deploy-aws.md, "Tearing down".
resource "aws_ebs_volume" "backups" {
  availability_zone = local.availability_zone
  size              = var.backups_volume_size
  type              = var.backups_volume_type
  encrypted         = true

  tags = {
    Name              = "${var.name}-backups"
    "backupd:dlm"     = var.name
    "backupd:content" = "snapshots and MariaDB data"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_volume_attachment" "backups" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.backups.id
  instance_id = aws_instance.backupd.id
  # Detach from a stopped instance: the file system is unmounted cleanly first.
  stop_instance_before_detaching = true
}

# --- the instance ------------------------------------------------------------------------------

resource "aws_instance" "backupd" {
  ami                         = data.aws_ami.debian12.id
  instance_type               = var.instance_type
  subnet_id                   = aws_subnet.public.id
  vpc_security_group_ids      = [aws_security_group.backupd.id]
  associate_public_ip_address = true
  key_name                    = var.ssh_key_name
  iam_instance_profile        = aws_iam_instance_profile.instance.name

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required" # IMDSv2 only
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_size
    encrypted             = true
    delete_on_termination = true
  }

  user_data = templatefile("${path.module}/user-data.yaml.tftpl", {
    provision_env        = local.provision_env_text
    provision_script     = file("${path.module}/files/backupd-provision.sh")
    refresh_token_script = file("${path.module}/files/backupd-refresh-token.sh")
  })

  tags = { Name = var.name }

  lifecycle {
    # A newer Debian image or edited user data must not replace the host behind your back;
    # replace it on purpose with `terraform apply -replace=aws_instance.backupd` (the backups
    # volume and its data stay).
    ignore_changes = [ami, user_data]
  }

  depends_on = [aws_route_table_association.public, aws_ssm_parameter.api_token]
}

# A fixed address: the DNS record and api_cidrs-style allow-lists on the callers' side stay
# valid across stop/start and replacement.
resource "aws_eip" "backupd" {
  domain   = "vpc"
  instance = aws_instance.backupd.id

  tags = { Name = var.name }

  depends_on = [aws_internet_gateway.main]
}

resource "aws_route53_record" "api" {
  count = local.tls && var.route53_zone_id != null ? 1 : 0

  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = "A"
  ttl     = 300
  records = [aws_eip.backupd.public_ip]
}

# --- off-host copies: daily EBS snapshots of the backups volume ---------------------------------

data "aws_iam_policy_document" "assume_dlm" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["dlm.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "dlm" {
  count = var.ebs_snapshots_keep > 0 ? 1 : 0

  name_prefix        = "${var.name}-dlm-"
  assume_role_policy = data.aws_iam_policy_document.assume_dlm.json
}

resource "aws_iam_role_policy_attachment" "dlm" {
  count = var.ebs_snapshots_keep > 0 ? 1 : 0

  role       = aws_iam_role.dlm[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole"
}

resource "aws_dlm_lifecycle_policy" "backups" {
  count = var.ebs_snapshots_keep > 0 ? 1 : 0

  description        = "${var.name}: daily snapshots of the backups volume"
  execution_role_arn = aws_iam_role.dlm[0].arn
  state              = "ENABLED"

  policy_details {
    resource_types = ["VOLUME"]
    target_tags    = { "backupd:dlm" = var.name }

    schedule {
      name      = "daily"
      copy_tags = true

      create_rule {
        interval      = 24
        interval_unit = "HOURS"
        times         = [var.ebs_snapshot_time]
      }

      retain_rule {
        count = var.ebs_snapshots_keep
      }
    }
  }
}
