"""A real SAML 2 identity provider for the sign-in tests: pysaml2's IdP (`saml2.server`),
signing with xmlsec1, its metadata served over HTTP on localhost. It reads each service
provider's metadata from Samnav's own metadata address, as a real IdP would be given it."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

XMLSEC = shutil.which("xmlsec1")
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"  # SHA-1 is refused, rightly
DIGEST_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
MFA_CONTEXT = "http://id.elegnamnden.se/loa/1.0/loa3"
PASSWORD_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


def _key_and_cert(folder: Path) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Samnav test IdP")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / "idp.key", folder / "idp.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


class SamlIdP:
    """Start with `start()`, stop with `stop()`. `entity_id` and `metadata_url` configure the
    service provider; `answer()` turns an AuthnRequest into the signed response a browser
    would post back."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="samnav-saml-idp-"))
        self.key, self.cert = _key_and_cert(self.folder)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.entity_id = f"{self.base}/idp/metadata"
        self.metadata_url = self.entity_id
        self.sp_metadata: list[str] = []
        self.server = self._server()
        self.metadata = create_metadata_string(None, config=self.server.config, sign=False).decode()

    def _config(self) -> IdPConfig:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{self.base}/idp/sso", BINDING_HTTP_REDIRECT)
                            ],
                            "single_logout_service": [
                                (f"{self.base}/idp/slo", BINDING_HTTP_REDIRECT)
                            ],
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 5},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                    }
                },
                "key_file": self.key,
                "cert_file": self.cert,
                "xmlsec_binary": XMLSEC,
                "metadata": {"inline": list(self.sp_metadata)},
                "allow_unknown_attributes": True,
            }
        )
        return config

    def _server(self) -> Server:
        return Server(config=self._config())

    def trust(self, sp_metadata: str) -> None:
        """Know a service provider (its metadata, as Samnav serves it)."""
        self.sp_metadata.append(sp_metadata)
        self.server = self._server()

    def _handler(self):
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                if self.path.startswith("/idp/metadata"):
                    body = idp.metadata.encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/samlmetadata+xml")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    def start(self) -> SamlIdP:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        shutil.rmtree(self.folder, ignore_errors=True)

    def answer(
        self,
        redirect_url: str,
        *,
        subject: str,
        attributes: dict[str, list[str]],
        context: str = PASSWORD_CONTEXT,
        audience: str | None = None,
    ) -> tuple[str, str, str]:
        """(ACS URL, SAMLResponse, RelayState) for the AuthnRequest in `redirect_url` (the
        SP's redirect to /idp/sso). `audience`: answer for another SP's entity id."""
        query = parse_qs(urlparse(redirect_url).query)
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = request.message
        sp_entity = audience or message.issuer.text
        acs = (
            message.assertion_consumer_service_url
            or self.server.config.metadata.assertion_consumer_service(
                sp_entity, binding=BINDING_HTTP_POST
            )[0]["location"]
        )
        response = self.server.create_authn_response(
            identity=attributes,
            in_response_to=message.id,
            destination=acs,
            sp_entity_id=sp_entity,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
            authn={"class_ref": context, "authn_auth": self.entity_id},
            sign_response=True,
            sign_assertion=True,
            sign_alg=RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        encoded = base64.b64encode(str(response).encode()).decode()
        return acs, encoded, query.get("RelayState", [""])[0]

    def logout_request(self, sp_entity: str, slo_url: str, subject: str) -> str:
        """A signed LogoutRequest for `subject`, as an HTTP-Redirect URL to the SP's SLO."""
        request_id, request = self.server.create_logout_request(
            destination=slo_url,
            issuer_entity_id=sp_entity,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
            sign=False,
        )
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT, str(request), slo_url, "", sign=True, sigalg=RSA_SHA256
        )
        return dict(info["headers"])["Location"]
