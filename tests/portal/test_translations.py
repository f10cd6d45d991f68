"""The admin speaks Chinese: every Wagtail and third-party interface string has a translation,
the supplementary catalogue (locale_admin/) filling what the packages' own catalogues lack."""

from django.core.management import call_command
from django.utils import translation

from portal.translations import missing_translations


def test_every_third_party_admin_string_has_chinese():
    missing = missing_translations()
    assert missing == [], "\n".join(f"{item.app} {item.domain}: {item.msgid}" for item in missing[:30])


def test_strings_wagtail_leaves_in_english_read_in_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("The page could not be created due to validation errors.") == \
            "由于存在验证错误，页面未能创建。"
        assert translation.gettext("Autosave is paused") == "自动保存已暂停"
        assert translation.gettext("The slug '%(page_slug)s' is already in use within the parent page.") == \
            "缩略名“%(page_slug)s”已被上一级页面下的其他页面使用。"
        # django-filter ships only zh_CN, which Django never loads for zh-hans.
        assert translation.gettext("Past 7 days") == "过去 7 天"


def test_the_command_reports_all_translated(capsys):
    call_command("missing_translations")
    assert "所有第三方界面字符串都有中文翻译" in capsys.readouterr().out


def test_every_committed_catalogue_is_compiled_from_its_po_file():
    """A .mo left behind its .po (a merge, a hand edit without msgfmt) shows English to the public."""
    import subprocess
    from pathlib import Path

    import polib

    root = Path(__file__).resolve().parents[2]
    catalogues = subprocess.run(["git", "ls-files", "*.po"], cwd=root, capture_output=True, text=True,
                                check=True).stdout.split()
    assert catalogues
    stale = {}
    for name in catalogues:
        source = polib.pofile(str(root / name))
        compiled = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
                    for entry in polib.mofile(str(root / name).removesuffix(".po") + ".mo")}
        missing = [entry.msgid for entry in source.translated_entries()
                   if (entry.msgctxt, entry.msgid) not in compiled]
        if missing:
            stale[name] = missing[:5]
    assert not stale, f"recompile with msgfmt: {stale}"
