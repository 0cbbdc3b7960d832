output "public_ip" {
  description = "The instance's Elastic IP (point domain_name's A record here when Route 53 does not)."
  value       = aws_eip.backupd.public_ip
}

output "api_url" {
  description = "Base URL of the API."
  value       = local.api_url
}

output "ssh" {
  description = "Log in as Debian's default user."
  value       = "ssh admin@${aws_eip.backupd.public_ip}"
}

output "example_curl" {
  description = "A first backup; BACKUPD_TOKEN holds a line of the token parameter."
  value       = "curl -s -X POST -H \"Authorization: Bearer $BACKUPD_TOKEN\" ${local.api_url}/backup/photos"
}

output "backups_volume_id" {
  description = "The EBS volume with the snapshots and the MariaDB data (kept by terraform destroy)."
  value       = aws_ebs_volume.backups.id
}

output "instance_id" {
  value = aws_instance.backupd.id
}
