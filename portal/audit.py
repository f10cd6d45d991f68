"""`make audit`: known vulnerabilities in the installed packages, said honestly.

    .venv/bin/python -m portal.audit

Runs pip-audit against PyPI's vulnerability data, then OSV when PyPI could not answer. pip-audit
alone passes when it could check nothing (every package "not found on PyPI", as on machines that
reach only an index mirror): here that is reported as **not checked**, naming the source and why.

Exit status: 1 when a known vulnerability is found; 0 otherwise — including when no source could be
reached, which is printed on stderr so CI logs show the audit did not happen. Run it where PyPI's
JSON API or api.osv.dev is reachable for a real answer."""

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SOURCES = ("pypi", "osv")


@dataclass
class SourceResult:
    source: str
    checked: int = 0
    unchecked: list = field(default_factory=list)  # (name, version or reason)
    vulnerabilities: list = field(default_factory=list)  # (name, version, id, fix versions)
    failure: str = ""  # why this source gave no answer at all

    @property
    def answered(self) -> bool:
        return not self.failure


def summarise(source: str, returncode: int, stdout: str, stderr: str) -> SourceResult:
    """What one pip-audit run (`-f json`) found, or why it found nothing."""
    result = SourceResult(source)
    try:
        data = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict) or "dependencies" not in data:
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        result.failure = lines[-1] if lines else f"pip-audit exited with status {returncode} and no report"
        return result
    for dependency in data["dependencies"]:
        reason = dependency.get("skip_reason")
        if reason:
            if "editable" not in reason:  # the portal itself, installed from the working tree
                result.unchecked.append((dependency.get("name", "?"), reason))
            continue
        result.checked += 1
        for vuln in dependency.get("vulns", []):
            result.vulnerabilities.append((dependency["name"], dependency.get("version", "?"), vuln.get("id", "?"),
                                           ", ".join(vuln.get("fix_versions", [])) or "无"))
    if result.checked == 0:
        result.failure = (f"{len(result.unchecked)} 个软件包都未能查询（{result.unchecked[0][1]}）"
                          if result.unchecked else "没有可检查的软件包")
    return result


def run_source(source: str) -> SourceResult:
    command = [str(Path(sys.executable).parent / "pip-audit"), "-s", source, "-f", "json",
               "--progress-spinner", "off", "--skip-editable"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return SourceResult(source, failure=f"pip-audit 无法运行：{exc}")
    return summarise(source, done.returncode, done.stdout, done.stderr)


def report(results: list[SourceResult], out=sys.stdout, err=sys.stderr) -> int:
    """Print what was checked and found; the exit status (1 only for a found vulnerability)."""
    answered = [r for r in results if r.answered]
    for result in results:
        if not result.answered:
            print(f"漏洞数据源 {result.source} 未能检查：{result.failure}", file=err)
    if not answered:
        print("安全审计未能进行：没有一个漏洞数据源可用（" + "、".join(r.source for r in results)
              + "）。这不代表没有已知漏洞；请在能访问 PyPI JSON API 或 api.osv.dev 的机器上重新运行。", file=err)
        return 0
    result = answered[0]
    print(f"漏洞数据源 {result.source}：检查了 {result.checked} 个软件包。", file=out)
    if result.unchecked:
        print(f"另有 {len(result.unchecked)} 个软件包未能检查：" + "、".join(n for n, _ in result.unchecked), file=err)
    if result.vulnerabilities:
        print(f"发现 {len(result.vulnerabilities)} 个已知漏洞：", file=out)
        for name, version, vuln_id, fixes in result.vulnerabilities:
            print(f"  {name} {version}：{vuln_id}（修复版本：{fixes}）", file=out)
        return 1
    print("未发现已知漏洞。", file=out)
    return 0


def main() -> int:
    results = []
    for source in SOURCES:
        result = run_source(source)
        results.append(result)
        if result.answered:
            break
    return report(results)


if __name__ == "__main__":
    sys.exit(main())
