"""The seal of FINAL PDF documents: one PDF signature (PAdES, a CMS signature over SHA-256) whose byte range
covers the whole file but the signature itself, so any PDF reader's signature panel, `pdfsig` or
`manage.py verify_document` shows a changed byte (docs/architecture.md, "Sealed documents").

The key and its certificate come from DOCUMENT_SEAL_KEY_FILE and DOCUMENT_SEAL_CERT_FILE (PEM), which
production settings require. Development and tests, when they are unset, generate a self-signed development
certificate once under DOCUMENT_SEAL_DEVELOPMENT_DIR and reuse it: a reader reports its signer as unknown,
which is right for a certificate nobody vouches for.

Sealing is reproducible: the signing time, the modification date and the file identifier come from the
rendering (the instant it was generated, the SHA-256 of the unsealed PDF), and an RSA key signs
deterministically, so the same rendering sealed twice with the same key gives the same bytes.
"""

import asyncio
import hashlib
import io
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FIELD_NAME = "Seal"
KEY_NAME = "seal-key.pem"
CERT_NAME = "seal-cert.pem"
DEVELOPMENT_SUBJECT = "Development document seal (not for production)"
# The development certificate's validity does not depend on when it was made (no clock is read), and spans
# any instant a test or a demo document is generated at.
DEVELOPMENT_VALID_FROM = datetime(2000, 1, 1, tzinfo=UTC)
DEVELOPMENT_VALID_UNTIL = datetime(2100, 1, 1, tzinfo=UTC)


class SealError(RuntimeError):
    """The seal's key or certificate cannot be loaded, or the PDF cannot be signed."""


@dataclass(frozen=True)
class SealCredentials:
    key_file: Path
    cert_file: Path
    passphrase: bytes | None


def seal_reason(*, reference: str, version: int, company: str) -> str:
    """The signature's reason, shown by readers beside the signer: the document and who sealed it."""
    return f"{reference} version {version}. Sealed by {company} compliance records"


def seal_credentials() -> SealCredentials:
    """The operator's key and certificate, or (outside production) the development ones, made once."""
    passphrase = settings.DOCUMENT_SEAL_KEY_PASSPHRASE.encode() or None
    if settings.DOCUMENT_SEAL_KEY_FILE and settings.DOCUMENT_SEAL_CERT_FILE:
        return SealCredentials(
            Path(settings.DOCUMENT_SEAL_KEY_FILE), Path(settings.DOCUMENT_SEAL_CERT_FILE), passphrase
        )
    if settings.PRODUCTION:  # settings refuse to start so; this guards a settings override
        raise ImproperlyConfigured(
            "DOCUMENT_SEAL_KEY_FILE and DOCUMENT_SEAL_CERT_FILE are required in production"
        )
    key_file, cert_file = development_credentials(Path(settings.DOCUMENT_SEAL_DEVELOPMENT_DIR))
    return SealCredentials(key_file, cert_file, None)


def configured_certificate() -> bytes | None:
    """The seal certificate this installation signs with (PEM), without making one: None when there is none
    yet (e.g. an auditor's machine)."""
    if settings.DOCUMENT_SEAL_CERT_FILE:
        path = Path(settings.DOCUMENT_SEAL_CERT_FILE)
    else:
        path = Path(settings.DOCUMENT_SEAL_DEVELOPMENT_DIR) / CERT_NAME
    return path.read_bytes() if path.is_file() else None


def development_credentials(directory: Path) -> tuple[Path, Path]:
    """The development key and self-signed certificate under `directory`, generated on first use.

    Made in a scratch directory renamed into place, so two processes starting at once (pytest -n 2, a web
    server beside a worker) never read half-written files: the loser of the rename uses the winner's pair.
    """
    key_file, cert_file = directory / KEY_NAME, directory / CERT_NAME
    if key_file.is_file() and cert_file.is_file():
        return key_file, cert_file
    directory.parent.mkdir(parents=True, exist_ok=True)
    scratch = directory.parent / f".{directory.name}-{os.getpid()}-{os.urandom(4).hex()}"
    scratch.mkdir(mode=0o700)
    try:
        key_pem, cert_pem = _development_pair()
        (scratch / KEY_NAME).write_bytes(key_pem)
        (scratch / KEY_NAME).chmod(0o600)
        (scratch / CERT_NAME).write_bytes(cert_pem)
        try:
            scratch.rename(directory)
        except OSError:
            if not (key_file.is_file() and cert_file.is_file()):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return key_file, cert_file


def _development_pair() -> tuple[bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    # RSA with PKCS#1 v1.5 signs deterministically (ECDSA would not): see the module docstring.
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEVELOPMENT_SUBJECT),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Compliance Case Manager"),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # non-repudiation: what a document signature asserts
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(DEVELOPMENT_VALID_FROM)
        .not_valid_after(DEVELOPMENT_VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


@lru_cache(maxsize=4)
def _signer(key_file: Path, cert_file: Path, passphrase: bytes | None):
    # Loaded once per process and key: a rotated key takes effect on restart, like every setting.
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        key = load_private_key_from_pemder(str(key_file), passphrase=passphrase)
        cert = load_cert_from_pemder(str(cert_file))
    except (OSError, ValueError, TypeError) as exc:
        raise SealError(
            f"cannot load the document seal from {key_file} and {cert_file} ({_one_line(exc)}): a PEM "
            "private key (with DOCUMENT_SEAL_KEY_PASSPHRASE if it is encrypted) and its PEM certificate"
        ) from exc
    return _seal_signer_class()(signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore())


@lru_cache(maxsize=1)
def _seal_signer_class():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class SealSigner(SimpleSigner):
        """pyHanko's SimpleSigner parses its private key again for every signature, two per seal (the size
        estimate and the signature): about 0.1 s each for RSA-3072, as cryptography checks the key on every
        load. This one parses it once for RSA PKCS#1 v1.5, what an RSA seal key signs with; any other
        mechanism goes through pyHanko as it is."""

        _parsed_key = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            if self._parsed_key is None:
                self._parsed_key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            return self._parsed_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    return SealSigner


def _outside_any_event_loop(work):
    """pyHanko's synchronous calls start an event loop of their own, which Python refuses inside a running
    one (an ASGI request, a test driving a browser): then the work runs on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def seal_pdf(content: bytes, *, reason: str, signed_at: datetime) -> bytes:
    """`content` (a PDF) signed with the seal: one signature, no incremental update, at `signed_at`."""
    return _outside_any_event_loop(lambda: _seal_pdf(content, reason=reason, signed_at=signed_at))


def _seal_pdf(content: bytes, *, reason: str, signed_at: datetime) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata import xmp_xml
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer
    from pyhanko.sign import fields, signers

    if signed_at.tzinfo is None:
        raise ValueError("naive datetime: the seal's time must be aware")
    credentials = seal_credentials()
    signer = _signer(credentials.key_file, credentials.cert_file, credentials.passphrase)

    # The document rewritten as a single revision, the signature written with it: its /ByteRange is the
    # whole file but the signature's own /Contents (no incremental update before or after it).
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(content)))
    digest = hashlib.sha256(content).digest()
    # Reproducible, not random: the file identifier from the unsealed content, the modification date at the
    # seal's time. pyHanko sets both when it writes, so they are set on this writer (pyHanko is pinned).
    writer._document_id = generic.ArrayObject(
        [generic.ByteStringObject(digest[:16]), generic.ByteStringObject(digest[16:])]
    )
    update_meta = writer._update_meta

    def _update_meta_at_seal_time():
        update_meta()
        if writer._info is not None:
            writer._info.get_object()["/ModDate"] = generic.pdf_date(signed_at)
        # A tagged (PDF/UA) document also carries XMP metadata, whose modification date pyHanko sets to now.
        metadata = writer.root["/Metadata"] if "/Metadata" in writer.root else None
        if isinstance(metadata, xmp_xml.MetadataStream):
            writer._meta.last_modified = signed_at
            metadata.update_xmp_with_meta(writer._meta)
            writer.update_container(metadata)

    writer._update_meta = _update_meta_at_seal_time

    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    try:
        out = _timed_signer_class()(meta, signer, signed_at=signed_at).sign_pdf(writer)
    except Exception as exc:  # pyHanko raises many types; the caller records one failure
        raise SealError(f"sealing failed: {exc}") from exc
    return out.getvalue()


@lru_cache(maxsize=1)
def _timed_signer_class():
    # Built on first use: pyHanko takes over half a second to import, paid only by a process that seals.
    from pyhanko.sign import signers

    class TimedPdfSigner(signers.PdfSigner):
        """A PdfSigner whose signing time (the CMS signing-time attribute and the signature's /M) is given,
        not read from the clock."""

        def __init__(self, *args, signed_at: datetime, **kwargs):
            super().__init__(*args, **kwargs)
            self.signed_at = signed_at

        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
            session.system_time = self.signed_at
            return session

    return TimedPdfSigner


# -- checking a seal -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SealCheck:
    """What `check_seal` found. `ok` (the seal is intact and covers the whole file) is what makes a file
    pass; whose certificate signed it is reported beside it."""

    signed: bool
    intact: bool = False
    covers_whole_file: bool = False
    problem: str = ""
    signer: str = ""
    signer_fingerprint: str = ""
    is_seal_certificate: bool | None = None  # None: no seal certificate to compare with
    trusted: bool = False
    signed_at: datetime | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.covers_whole_file and not self.problem


def check_seal(content: bytes, *, seal_certificate: bytes | None = None) -> SealCheck:
    """Validate the seal of `content` with pyHanko: the signature matches the bytes it covers, and those are
    every byte of the file but the signature. `seal_certificate` (PEM or DER) is the certificate expected to
    have signed; it is also the only trust anchor, and nothing is fetched from the network."""
    return _outside_any_event_loop(lambda: _check_seal(content, seal_certificate=seal_certificate))


def _check_seal(content: bytes, *, seal_certificate: bytes | None = None) -> SealCheck:
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        # A damaged file that still shows a signature's byte range was sealed and then changed.
        return SealCheck(signed=b"/ByteRange" in content, problem=f"not a readable PDF ({_one_line(exc)})")
    if not signatures:
        return SealCheck(signed=False, problem="the file carries no PDF signature")
    if len(signatures) > 1:
        return SealCheck(
            signed=True,
            problem=f"the file carries {len(signatures)} signatures; a sealed document carries exactly one",
        )

    expected = None
    if seal_certificate:
        der = pem.unarmor(seal_certificate)[2] if pem.detect(seal_certificate) else seal_certificate
        expected = x509.Certificate.load(der)
    context = ValidationContext(
        trust_roots=[expected] if expected else [], allow_fetching=False, revocation_mode="soft-fail"
    )
    embedded = signatures[0]
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception as exc:  # a damaged signature container raises many types: it does not check out
        return SealCheck(signed=True, problem=f"the signature cannot be read ({_one_line(exc)})")

    cert = status.signing_cert
    found = SealCheck(
        signed=True,
        intact=status.intact and status.valid,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=cert.subject.human_friendly,
        signer_fingerprint=hashlib.sha256(cert.dump()).hexdigest(),
        is_seal_certificate=None if expected is None else cert.dump() == expected.dump(),
        trusted=status.trusted,
        signed_at=status.signer_reported_dt,
        reason=str(embedded.sig_object.get("/Reason", "")),
    )
    if not found.intact:
        return replace(
            found,
            problem="the signature does not match the file's contents: it was changed after it was sealed",
        )
    if not found.covers_whole_file:
        return replace(
            found, problem="the signature does not cover the whole document: bytes were added after it"
        )
    return found


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
