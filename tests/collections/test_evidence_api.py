"""Evidence uploads: the content decides the type; files live outside the web root; downloads are
access-checked; completeness per milestone follows what was uploaded."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from irontriangle.collections.models import Evidence
from tests.conftest import api_as
from tests.factories import make_contract

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def _upload(client, contract, name, content, kind="invoice", milestone=None):
    data = {"file": SimpleUploadedFile(name, content, "application/pdf"), "kind": kind}
    if milestone is not None:
        data["milestone_id"] = str(milestone)
    return client.upload(f"/contracts/{contract.pk}/evidence", data)


def _ofd() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("OFD.xml", "<ofd:OFD/>")
    return buffer.getvalue()


def test_a_pdf_named_invoice_that_is_not_one_is_refused(org, deal):
    contract = make_contract(deal, number="HT-E", milestones="30-60-10")
    client = api_as(org["ar"])
    for content in (EXE, HTML, ELF, b"just text"):
        refused = _upload(client, contract, "invoice.pdf", content)
        assert refused.status_code == 422, content[:8]
        assert refused.json()["errors"][0] == {
            "field": "file",
            "code": "file_type",
            "message": refused.json()["errors"][0]["message"],
        }
    mislabelled = _upload(client, contract, "scan.png", PDF)
    assert mislabelled.status_code == 422 and mislabelled.json()["errors"][0]["code"] == "file_type"
    assert not Evidence.objects.exists()
    assert _upload(client, contract, "电子发票.ofd", _ofd()).status_code == 201


def test_evidence_is_stored_outside_the_web_root_and_downloaded_only_by_who_sees_the_contract(org, deal):
    contract = make_contract(deal, number="HT-F", milestones="30-60-10")
    client = api_as(org["ar"])
    down = client.get(f"/contracts/{contract.pk}/milestones").json()[0]
    assert (down["evidence_needed"], down["evidence_present"], down["evidence_complete"]) == (1, 0, False)

    created = _upload(client, contract, "../../首付款发票.pdf", PDF, milestone=down["id"])
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["name"], body["content_type"], body["size"]) == ("首付款发票.pdf", "application/pdf", len(PDF))
    stored = Evidence.objects.get(pk=body["id"])
    path = Path(settings.EVIDENCE_ROOT) / stored.stored_name[:2] / stored.stored_name
    assert path.read_bytes() == PDF
    assert "首付款" not in stored.stored_name and not str(path).startswith(str(settings.STATIC_ROOT))
    assert client.get(f"/milestones/{down['id']}").json()["evidence_complete"] is True

    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert api_as(org["manager"]).get(body["download_url"]).status_code == 200
    assert api_as(org["finance_user"]).get(body["download_url"]).status_code == 200
    assert api_as(org["outsider"]).get(body["download_url"]).status_code == 404
    assert api_as(org["outsider"]).get(f"/evidence/{body['id']}").status_code == 404

    assert client.delete(f"/evidence/{body['id']}").status_code == 204
    assert client.get(f"/milestones/{down['id']}").json()["evidence_complete"] is False
    assert client.get(body["download_url"]).status_code == 404
    assert path.exists()  # removed from view, kept for the audit


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_an_oversized_file_is_refused(org, deal):
    contract = make_contract(deal, number="HT-G", milestones="30-60-10")
    refused = _upload(api_as(org["ar"]), contract, "big.pdf", PDF + b"0" * 2048)
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "file_too_large"
    assert not Evidence.objects.exists()
