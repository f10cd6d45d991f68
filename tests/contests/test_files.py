"""content/contests/files.py: type by content, size per type, Pillow verification and bombs."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from content.contests.files import detect_kind, validate_upload
from tests.factories.contests import pdf_upload

from .conftest import png_bytes


def upload(name, data):
    return SimpleUploadedFile(name, data)


def office_zip(kind):
    folder = {"docx": "word", "pptx": "ppt"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
    return buffer.getvalue()


def mp4_bytes():
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("a.pdf", None, "pdf"),
        ("a.png", png_bytes(), "png"),
        ("a.docx", office_zip("docx"), "docx"),
        ("a.pptx", office_zip("pptx"), "pptx"),
        ("a.mp4", mp4_bytes(), "mp4"),
    ],
)
def test_accepted_types_are_recognised_by_content(name, data, kind):
    uploaded = pdf_upload(name) if data is None else upload(name, data)
    assert detect_kind(uploaded) == kind


def test_the_name_does_not_decide_the_type():
    disguised = upload("poster.png", pdf_upload().read())  # a PDF called .png
    assert validate_upload(disguised, ("pdf",)) == "pdf"
    with pytest.raises(ValidationError, match="不是本类别接受的文件类型"):
        validate_upload(upload("poster.png", pdf_upload().read()), ("png",))


@pytest.mark.parametrize(
    "data", [b"MZ\x90\x00" + b"\x00" * 100, b"#!/bin/sh\nrm -rf /\n", b"", b"PK\x03\x04junk"]
)
def test_other_content_is_refused_whatever_its_name(data):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("entry.pdf", data), ("pdf", "docx"))
    assert "不是本类别接受的文件类型" in error.value.messages[0]


def test_size_limit_per_type(settings):
    settings.CONTEST_UPLOAD_MAX_BYTES = {**settings.CONTEST_UPLOAD_MAX_BYTES, "pdf": 100}
    with pytest.raises(ValidationError) as error:
        validate_upload(pdf_upload(), ("pdf",))
    assert error.value.code == "too_big"
    settings.CONTEST_UPLOAD_MAX_BYTES = {**settings.CONTEST_UPLOAD_MAX_BYTES, "pdf": 10_000}
    assert validate_upload(pdf_upload(), ("pdf",)) == "pdf"


def test_decompression_bomb_is_refused_before_decoding(settings):
    settings.CONTEST_IMAGE_MAX_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("1", (2000, 2000)).save(buffer, "PNG")  # 4 Mpx in a few kilobytes
    assert len(buffer.getvalue()) < 20_000
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("bomb.png", buffer.getvalue()), ("png",))
    assert error.value.code == "image_too_large"


def test_truncated_image_is_refused():
    data = png_bytes((200, 200))
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("broken.png", data[: len(data) // 2]), ("png",))
    assert error.value.code == "bad_image"


def test_a_valid_image_passes():
    assert validate_upload(upload("ok.png", png_bytes()), ("png", "jpg")) == "png"


# Issue 14: served as the detected type, never by the uploaded name ----------------------------


def test_a_png_uploaded_as_html_is_served_as_a_png_never_as_html(client, review_contest, users):
    from content.contests import services
    from tests.factories.contests import EntryFactory

    entry = EntryFactory(contest=review_contest, category="poster", files=False)
    services.store_files(entry, [(SimpleUploadedFile("x.html", png_bytes()), "png")])
    stored = entry.files.get()
    assert stored.content_type == "image/png"
    client.force_login(users["organiser"])
    response = client.get(f"/contest-files/{stored.key}/")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "x.png" in response["Content-Disposition"] and "html" not in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("inline")


def test_office_files_and_videos_are_downloaded_not_shown(client, review_contest, users):
    from content.contests import services
    from tests.factories.contests import EntryFactory

    entry = EntryFactory(contest=review_contest, category="video", files=False)
    services.store_files(entry, [(SimpleUploadedFile("片子.html", mp4_bytes()), "mp4")])
    client.force_login(users["organiser"])
    response = client.get(f"/contest-files/{entry.files.get().key}/")
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].startswith("attachment")
