"""Program certificates in Chinese (issue 17, R-CERT-03): a partner whose company name is in
Chinese downloads its CSP certificate; the PDF's text, extracted as a reader or a search would,
holds the name as it is written — not question marks —, in English or, for a reader of the
Chinese console, in Chinese; and the PNG is an image of the page."""
import io
import urllib.request
import uuid

from pypdf import PdfReader

from test_discounts import PASSWORD, _partner_with_login
from test_orders import _console


def _download(endpoint, path, token, language="en-US"):
    req = urllib.request.Request(f"{endpoint}{path}", headers={"Authorization": f"Bearer {token}",
                                                               "Accept-Language": language})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.headers.get("Content-Type"), r.read()


def test_a_chinese_company_name_prints_as_itself(admin, endpoint):
    name = f"华为云示例科技有限公司 {uuid.uuid4().hex[:4]}"
    partner, email = _partner_with_login(admin, name=name, country="CN")
    assert partner["partner_id"]
    token = _console(endpoint, "POST", "/api/v1/sessions", {"login": email, "password": PASSWORD})["token"]

    content_type, pdf = _download(endpoint, "/api/v1/programs/csp/certificate.pdf", token)
    assert content_type == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert name in text, text
    assert "Certificate of Partnership" in text and "Valid from" in text and "?" not in text, text

    # In Chinese when the console speaks Chinese (its cookie, else Accept-Language).
    _, pdf = _download(endpoint, "/api/v1/programs/csp/certificate.pdf", token, "zh-CN,zh;q=0.9")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "合作伙伴证书" in text and name in text and "有效期" in text, text

    content_type, png = _download(endpoint, "/api/v1/programs/csp/certificate.png", token)
    assert content_type == "image/png" and png.startswith(b"\x89PNG\r\n\x1a\n")
