"""portal/audit.py (`make audit`): a found vulnerability fails; an audit that could not check says so."""

import io
import json

from portal.audit import report, summarise

CLEAN = {"dependencies": [{"name": "django", "version": "5.2.9", "vulns": []},
                          {"name": "birth-defect-portal", "skip_reason": "distribution marked as editable"}],
         "fixes": []}
VULNERABLE = {"dependencies": [{"name": "django", "version": "5.2.0", "vulns": [
    {"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"], "aliases": [], "description": "…"}]}], "fixes": []}
MIRROR_ONLY = {"dependencies": [
    {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.9)"},
    {"name": "wagtail", "skip_reason": "Dependency not found on PyPI and could not be audited: wagtail (8.0.1)"}],
    "fixes": []}
OSV_DOWN = ("Traceback (most recent call last):\n  …\nrequests.exceptions.ConnectionError: "
            "HTTPSConnectionPool(host='api.osv.dev', port=443): Failed to resolve 'api.osv.dev'\n")


def run(*results):
    out, err = io.StringIO(), io.StringIO()
    return report(list(results), out=out, err=err), out.getvalue(), err.getvalue()


def test_a_known_vulnerability_fails_and_names_the_package_and_the_fix():
    status, out, _ = run(summarise("pypi", 1, json.dumps(VULNERABLE), ""))
    assert status == 1
    assert "django 5.2.0：PYSEC-2025-1（修复版本：5.2.1）" in out


def test_a_clean_check_passes_and_says_how_much_it_checked():
    status, out, err = run(summarise("pypi", 0, json.dumps(CLEAN), ""))
    assert status == 0 and "检查了 1 个软件包" in out and "未发现已知漏洞" in out and not err


def test_packages_pypi_does_not_know_are_not_a_pass():
    """pip-audit itself exits 0 here; the audit says it checked nothing, and which source failed."""
    pypi = summarise("pypi", 0, json.dumps(MIRROR_ONLY), "")
    osv = summarise("osv", 1, "", OSV_DOWN)
    status, out, err = run(pypi, osv)
    assert status == 0  # not a found vulnerability: CI goes on, but the log says the audit did not happen
    assert "未发现已知漏洞" not in out
    assert "漏洞数据源 pypi 未能检查：2 个软件包都未能查询" in err
    assert "漏洞数据源 osv 未能检查：" in err and "api.osv.dev" in err
    assert "安全审计未能进行" in err


def test_osv_answers_when_pypi_cannot():
    pypi = summarise("pypi", 0, json.dumps(MIRROR_ONLY), "")
    osv = summarise("osv", 1, json.dumps(VULNERABLE), "")
    status, out, err = run(pypi, osv)
    assert status == 1 and "漏洞数据源 osv：检查了 1 个软件包" in out and "pypi 未能检查" in err


def test_a_partial_check_lists_what_it_could_not_check():
    partial = {"dependencies": CLEAN["dependencies"] + MIRROR_ONLY["dependencies"][1:], "fixes": []}
    status, out, err = run(summarise("pypi", 0, json.dumps(partial), ""))
    assert status == 0 and "另有 1 个软件包未能检查：wagtail" in err
