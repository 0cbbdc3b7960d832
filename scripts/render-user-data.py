#!/usr/bin/env python3
"""Renders deploy/aws/user-data.yaml.tftpl the way Terraform's templatefile() would, with sample
settings, so that scripts/check-deploy-files.sh can validate the cloud-config offline (there is
no terraform binary on our machines).

    scripts/render-user-data.py OUTPUT

Supports exactly what the template uses: ${name}, ${indent(N, name)} and the $${ / %%{
escapes. Anything else (a %{ directive, another function) is an error, so a template that grows
beyond this renderer fails the check instead of passing it half-rendered. Also fails when the
template's variables and the templatefile() call in main.tf disagree, and prints the variables
it rendered.
"""

import re
import sys
from pathlib import Path

AWS_DIR = Path(__file__).resolve().parent.parent / "deploy" / "aws"
TEMPLATE = AWS_DIR / "user-data.yaml.tftpl"

# Sample settings, quoted as main.tf's local.provision_env_text quotes them.
SAMPLE_ENV = {
    "AWS_REGION": "eu-central-1",
    "API_TOKEN_PARAMETER": "/backupd/api-token",
    "ACME_EMAIL": "ops@example.com",
    "DEB_SHA256": "0" * 64,
    "DEB_URL": "https://artifacts.example.com/backupd_0.1.0_amd64.deb?X-Amz-Signature=a&b='c'",
    "DOMAIN_NAME": "backup.example.com",
    "LISTEN": "127.0.0.1:8080",
    "SOURCE_ROOT": "/srv/backupd-sources",
    "BACKUPS_DEVICE": "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0",
    "BACKUPS_DEVICE_XEN": "/dev/xvdf",
}


def shell_quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def sample_variables() -> dict:
    return {
        "provision_env": "\n".join(f"{k}={shell_quote(v)}" for k, v in SAMPLE_ENV.items()),
        "provision_script": (AWS_DIR / "files" / "backupd-provision.sh").read_text(),
        "refresh_token_script": (AWS_DIR / "files" / "backupd-refresh-token.sh").read_text(),
    }


def indent(spaces: int, text: str) -> str:
    """Terraform's indent(): the spaces after every newline (so every line but the first)."""
    return text.replace("\n", "\n" + " " * spaces)


def render(template: str, variables: dict) -> tuple[str, set]:
    used = set()

    def substitute(match: re.Match) -> str:
        expression = match.group(1).strip()
        if re.fullmatch(r"[A-Za-z_]\w*", expression):
            name, spaces = expression, None
        else:
            call = re.fullmatch(r"indent\(\s*(\d+)\s*,\s*([A-Za-z_]\w*)\s*\)", expression)
            if not call:
                raise SystemExit(f"render-user-data: unsupported expression ${{{expression}}}")
            spaces, name = int(call.group(1)), call.group(2)
        if name not in variables:
            raise SystemExit(f"render-user-data: no sample value for ${{{name}}}")
        used.add(name)
        value = variables[name]
        return value if spaces is None else indent(spaces, value)

    if re.search(r"(?<!%)%\{", template):
        raise SystemExit("render-user-data: %{ ... } directives are not supported by this renderer")
    # Escapes first: $${ and %%{ stand for literal ${ and %{.
    parts = re.split(r"(\$\$\{|%%\{)", template)
    out = []
    for part in parts:
        if part == "$${":
            out.append("${")
        elif part == "%%{":
            out.append("%{")
        else:
            out.append(re.sub(r"\$\{([^}]*)\}", substitute, part))
    return "".join(out), used


def templatefile_keys() -> set:
    """The keys main.tf passes to templatefile(".../user-data.yaml.tftpl", {...})."""
    text = (AWS_DIR / "main.tf").read_text()
    call = re.search(r'templatefile\("\$\{path\.module\}/user-data\.yaml\.tftpl",\s*\{(.*?)\}\)',
                     text, re.S)
    if not call:
        raise SystemExit("render-user-data: main.tf has no templatefile() call for the template")
    return set(re.findall(r"^\s*([A-Za-z_]\w*)\s*=", call.group(1), re.M))


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    variables = sample_variables()
    rendered, used = render(TEMPLATE.read_text(), variables)
    passed = templatefile_keys()
    if passed != used:
        raise SystemExit(
            "render-user-data: main.tf passes " + ", ".join(sorted(passed)) +
            " but the template uses " + ", ".join(sorted(used)))
    Path(sys.argv[1]).write_text(rendered)
    print("render-user-data: rendered " + ", ".join(sorted(used)), file=sys.stderr)


if __name__ == "__main__":
    main()
