"""The photo pipeline, against real image files made here with Pillow.

PRODUCT §2: the photo is personal data and never public. Uploads are limited
in bytes and pixels, re-encoded without metadata (GPS included), and served
only through views that check who asks."""

import functools
import io
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageSequence

from profiles.models import CandidateProfile
from profiles.photos import PhotoRejected, normalise_photo, profile_photo_delete, profile_photo_store
from profiles.tasks import fetch_social_photo
from tests.access_matrix import LOGIN, MFA
from tests.profiles.factories import CandidateProfileWithPhotoFactory, sample_jpeg
from tests.test_access_matrix import assert_answer

TOO_MANY_PIXELS = "too many pixels"
NOT_A_PHOTO = "not a photo we can use"
TOO_LARGE = "too large"
EMPTY = "empty"

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ORIENTATION = 0x0112
RED, GREEN, BLUE, WHITE = (220, 20, 20), (20, 200, 20), (20, 20, 220), (255, 255, 255)


# --- Real files ------------------------------------------------------------------


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0131] = "Camera app"  # Software
    if orientation:
        exif[ORIENTATION] = orientation
    exif.get_ifd(EXIF_IFD)[0x9003] = "2026:04:01 09:30:00"  # DateTimeOriginal
    exif.get_ifd(EXIF_IFD)[0xA431] = "SN-123456"  # BodySerialNumber
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (35.0, 41.0, 22.2)  # GPSLatitude: Tokyo
    gps[3] = "E"
    gps[4] = (139.0, 41.0, 30.1)
    return exif


def jpeg_with_everything() -> bytes:
    """A phone photo carrying GPS EXIF, an ICC profile, XMP and a comment."""
    image = Image.new("RGB", (1600, 1200), RED)
    icc = encode(Image.new("RGB", (1, 1)), "PNG")  # any bytes: only its removal matters
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>35,41.37N</exif:GPSLatitude></x:xmpmeta>'
    return encode(image, "JPEG", exif=exif_with_gps(), icc_profile=icc, xmp=xmp, comment=b"home address")


def two_colour(size: tuple[int, int], left=RED, right=BLUE) -> Image.Image:
    """Left half one colour, right half the other: shows which way it turned."""
    image = Image.new("RGB", size, left)
    image.paste(Image.new("RGB", (size[0] // 2, size[1]), right), (size[0] // 2, 0))
    return image


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def one_bit_png(width: int, height: int, *, idat: bytes | None = None) -> bytes:
    """A real 1-bit PNG, built row by row: 20000×20000 px is ~50 kB on disk but
    would be 400 million pixels once decoded. `idat` replaces the pixel data
    (garbage there shows whether anything was decoded)."""
    if idat is None:
        row = b"\0" * (1 + (width + 7) // 8)
        compressor = zlib.compressobj(9)
        idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


@functools.cache
def bomb_png() -> bytes:
    return one_bit_png(20000, 20000)


def animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (120, 80), colour) for colour in (RED, GREEN, BLUE)]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def stored(profile: CandidateProfile, field: str = "photo") -> bytes:
    profile.refresh_from_db()
    with default_storage.open(getattr(profile, field).name, "rb") as file:
        return file.read()


def close_to(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def assert_no_metadata(data: bytes) -> None:
    image = opened(data)
    assert image.format == "JPEG"
    assert not image.getexif()
    for key in ("exif", "icc_profile", "xmp", "comment", "photoshop"):
        assert key not in image.info, key
    assert b"Exif\x00\x00" not in data
    assert b"http://ns.adobe.com/xap/1.0/" not in data
    assert b"ICC_PROFILE" not in data


# --- The pipeline ----------------------------------------------------------------


def test_gps_and_every_other_metadata_are_gone_from_the_stored_photo(candidate, persona_client):
    original = jpeg_with_everything()
    assert opened(original).getexif().get_ifd(GPS_IFD)  # the file really carries a position

    response = persona_client("candidate").post(
        reverse("profiles:photo_upload"), {"photo": SimpleUploadedFile("IMG_0001.jpg", original, "image/jpeg")}
    )

    assert response.status_code == 302
    profile = CandidateProfile.objects.get(user=candidate)
    assert profile.photo_source == "upload"
    for field in ("photo", "photo_thumbnail"):
        assert_no_metadata(stored(profile, field))


def test_the_photo_is_made_smaller_and_the_thumbnail_square():
    result = normalise_photo(jpeg_with_everything())  # 1600×1200
    assert opened(result.image).size == (1024, 768)
    assert opened(result.thumbnail).size == (256, 256)


def test_a_sideways_phone_photo_is_turned_upright():
    # Orientation 6: the camera stored it lying on its side; viewers turn it
    # 90° clockwise, so its left edge becomes the top.
    data = encode(two_colour((300, 200)), "JPEG", exif=exif_with_gps(orientation=6))

    result = opened(normalise_photo(data).image)

    assert result.size == (200, 300)
    assert close_to(result.getpixel((100, 10)), RED)
    assert close_to(result.getpixel((100, 290)), BLUE)
    assert not result.getexif()  # no orientation tag left to turn it a second time


def test_transparent_parts_of_a_png_become_white():
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    image.paste(Image.new("RGBA", (100, 200), (*RED, 255)), (0, 0))

    result = opened(normalise_photo(encode(image, "PNG")).image)

    assert result.mode == "RGB"
    assert close_to(result.getpixel((50, 100)), RED)
    assert close_to(result.getpixel((150, 100)), WHITE, tolerance=5)


def test_a_palette_png_with_a_transparent_colour_becomes_white_there():
    image = Image.new("P", (100, 100), 0)
    image.putpalette([*RED, *GREEN] + [0] * 762)
    image.paste(1, (50, 0, 100, 100))

    result = opened(normalise_photo(encode(image, "PNG", transparency=1)).image)

    assert close_to(result.getpixel((25, 50)), RED)
    assert close_to(result.getpixel((75, 50)), WHITE, tolerance=5)


def test_a_cmyk_jpeg_is_stored_as_rgb_in_its_colours():
    data = encode(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG")  # pure red in print colours

    result = opened(normalise_photo(data).image)

    assert result.mode == "RGB"
    assert close_to(result.getpixel((150, 100)), (255, 0, 0))


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])  # animated WebP and APNG
def test_only_the_first_frame_of_an_animation_is_kept(fmt):
    data = animated(fmt)
    assert opened(data).n_frames == 3

    result = opened(normalise_photo(data).image)

    assert len(list(ImageSequence.Iterator(result))) == 1
    assert close_to(result.getpixel((60, 40)), RED)


def test_a_webp_photo_is_accepted(candidate, persona_client):
    data = encode(two_colour((400, 300)), "WEBP", quality=90)

    response = persona_client("candidate").post(
        reverse("profiles:photo_upload"), {"photo": SimpleUploadedFile("me.webp", data, "image/webp")}
    )

    assert response.status_code == 302
    result = opened(stored(CandidateProfile.objects.get(user=candidate)))
    assert result.format == "JPEG" and result.size == (400, 300)


def test_a_pixel_bomb_is_refused_from_its_header_without_decoding():
    data = bomb_png()
    assert len(data) < 200_000  # 400 million pixels in a small file

    started = time.monotonic()
    with pytest.raises(PhotoRejected, match=TOO_MANY_PIXELS):
        normalise_photo(data)
    # Decoding 400 megapixels takes seconds and gigabytes; reading a header does not.
    assert time.monotonic() - started < 2


def test_too_many_pixels_is_refused_before_the_pixel_data_is_read():
    # 48 megapixels (under Pillow's own limit) with garbage for pixel data:
    # decoding would fail as "damaged"; the header check answers first.
    with pytest.raises(PhotoRejected, match=TOO_MANY_PIXELS):
        normalise_photo(one_bit_png(8000, 6000, idat=b"not pixel data"))


def test_pillows_bomb_warning_is_a_refusal_even_with_a_higher_limit_of_our_own(settings):
    settings.TSUNAGU_PHOTO_MAX_PIXELS = 500_000_000
    # 95 megapixels: over Pillow's warning threshold, under its error one.
    with pytest.raises(PhotoRejected, match=TOO_MANY_PIXELS):
        normalise_photo(one_bit_png(9500, 10000, idat=b"not pixel data"))


def test_a_photo_just_under_the_pixel_limit_is_accepted(settings):
    settings.TSUNAGU_PHOTO_MAX_PIXELS = 1_000_000
    assert opened(normalise_photo(one_bit_png(1000, 1000)).image).size == (1000, 1000)  # never enlarged
    with pytest.raises(PhotoRejected, match=TOO_MANY_PIXELS):
        normalise_photo(one_bit_png(1000, 1001))


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", EMPTY),
        (b"Just some text, not a photo at all.\n", NOT_A_PHOTO),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", NOT_A_PHOTO),
        (encode(Image.new("RGB", (50, 50), RED), "GIF"), NOT_A_PHOTO),  # an image, but not one we take
        (encode(Image.new("RGB", (50, 50), RED), "BMP"), NOT_A_PHOTO),
        (sample_jpeg()[:600], "damaged"),  # cut off half-way
    ],
    ids=["empty", "text", "svg", "gif", "bmp", "truncated-jpeg"],
)
def test_what_is_not_a_usable_photo_is_refused(data, message):
    with pytest.raises(PhotoRejected, match=message):
        normalise_photo(data)


def test_a_file_over_the_byte_limit_is_refused_whatever_it_contains():
    photo = sample_jpeg()
    padded = photo + b"\0" * (6 * 1024 * 1024 - len(photo))  # a readable JPEG, 6 MB long
    normalise_photo(photo)  # the photo itself is fine

    with pytest.raises(PhotoRejected, match=TOO_LARGE):
        normalise_photo(padded)


def test_a_new_photo_replaces_the_old_files_and_the_moderation_hiding(
    candidate_profile, django_capture_on_commit_callbacks
):
    profile_photo_store(profile=candidate_profile, data=sample_jpeg(colour=RED), source="upload")
    old_names = [candidate_profile.photo.name, candidate_profile.photo_thumbnail.name]
    CandidateProfile.objects.filter(pk=candidate_profile.pk).update(photo_hidden=True)
    candidate_profile.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        profile_photo_store(profile=candidate_profile, data=sample_jpeg(colour=GREEN), source="upload")

    candidate_profile.refresh_from_db()
    assert not candidate_profile.photo_hidden
    assert close_to(opened(stored(candidate_profile)).getpixel((10, 10)), GREEN)
    assert all(not default_storage.exists(name) for name in old_names)
    assert candidate_profile.photo.name.startswith("private/photos/")
    assert candidate_profile.photo.name not in old_names


def test_deleting_the_photo_removes_its_files(candidate_profile, django_capture_on_commit_callbacks):
    profile_photo_store(profile=candidate_profile, data=sample_jpeg(), source="google")
    names = [candidate_profile.photo.name, candidate_profile.photo_thumbnail.name]

    with django_capture_on_commit_callbacks(execute=True):
        profile_photo_delete(profile=candidate_profile)

    candidate_profile.refresh_from_db()
    assert not candidate_profile.photo and not candidate_profile.photo_thumbnail
    assert candidate_profile.photo_source == ""
    assert all(not default_storage.exists(name) for name in names)


# --- The upload page ------------------------------------------------------------


def upload(client, name: str, data: bytes, content_type: str = "image/jpeg"):
    return client.post(reverse("profiles:photo_upload"), {"photo": SimpleUploadedFile(name, data, content_type)})


def test_the_upload_page_has_a_form_that_can_send_a_file(persona_client):
    response = persona_client("candidate").get(reverse("profiles:photo_upload"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html
    assert 'name="photo"' in html


@pytest.mark.parametrize(
    "name, make_data, content_type, message",
    [
        ("photo.jpg", lambda: b"This is a text file pretending to be a photo.", "image/jpeg", NOT_A_PHOTO),
        ("photo.jpg", lambda: b"", "image/jpeg", EMPTY),
        ("photo.jpg", lambda: sample_jpeg() + b"\0" * (6 * 1024 * 1024), "image/jpeg", TOO_LARGE),
        ("bomb.png", bomb_png, "image/png", TOO_MANY_PIXELS),
    ],
    ids=["text-named-jpg", "empty", "6mb", "bomb"],
)
def test_a_failed_upload_says_why_and_keeps_the_previous_photo(
    candidate, persona_client, name, make_data, content_type, message
):
    profile = CandidateProfileWithPhotoFactory(user=candidate)
    before = (profile.photo.name, stored(profile))
    client = persona_client("candidate")

    response = upload(client, name, make_data(), content_type)

    assert response.status_code == 400
    assert message in response.content.decode()
    profile.refresh_from_db()
    assert (profile.photo.name, stored(profile)) == before
    assert client.get(reverse("profiles:photo_own", kwargs={"size": "full"})).getvalue() == before[1]


def test_the_candidate_deletes_their_photo(candidate, persona_client, django_capture_on_commit_callbacks):
    profile = CandidateProfileWithPhotoFactory(user=candidate)
    name = profile.photo.name
    client = persona_client("candidate")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("profiles:photo_delete"))

    assert response.status_code == 302
    assert not default_storage.exists(name)
    assert client.get(reverse("profiles:photo_own", kwargs={"size": "thumb"})).status_code == 404


def test_a_hidden_photo_is_shown_to_its_owner_with_a_notice(candidate, persona_client):
    CandidateProfileWithPhotoFactory(user=candidate, photo_hidden=True)
    client = persona_client("candidate")

    page = client.get(reverse("profiles:photo_upload"))

    assert "hid this photo" in page.content.decode()
    assert client.get(reverse("profiles:photo_own", kwargs={"size": "thumb"})).status_code == 200


# --- Who sees a photo --------------------------------------------------------------

OWN_PHOTO = {
    "anonymous": LOGIN,
    "candidate": 200,
    "other_candidate": 404,  # has no photo, and never gets the candidate's
    "employer_admin": 403,
    "employer_recruiter": 403,
    "staff_without_mfa": MFA,
    "coordinator": 403,
    "privacy_officer": 403,
    "support": 403,
}
def assert_private_jpeg(response, expected: bytes) -> None:
    assert response["Content-Type"] == "image/jpeg"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private/photos" not in response.get("Content-Disposition", "")
    assert response.getvalue() == expected


@pytest.mark.parametrize("size, field", [("full", "photo"), ("thumb", "photo_thumbnail")])
@pytest.mark.parametrize("persona", list(OWN_PHOTO))
def test_own_photo_answers_each_persona(persona, size, field, candidate, persona_client):
    profile = CandidateProfileWithPhotoFactory(user=candidate)

    response = persona_client(persona).get(reverse("profiles:photo_own", kwargs={"size": size}))

    assert_answer(response, OWN_PHOTO[persona], what=persona)
    if response.status_code == 200:
        assert_private_jpeg(response, stored(profile, field))


def test_another_candidate_gets_their_own_photo_never_the_candidates(candidate, other_candidate, persona_client):
    mine = CandidateProfileWithPhotoFactory(user=candidate, photo=sample_jpeg(colour=RED))
    theirs = CandidateProfileWithPhotoFactory(user=other_candidate, photo=sample_jpeg(colour=GREEN))

    response = persona_client("other_candidate").get(reverse("profiles:photo_own", kwargs={"size": "full"}))

    assert_private_jpeg(response, stored(theirs))
    assert response.getvalue() != stored(mine)


# --- Sign-in photos from Google / Facebook -----------------------------------------


class PhotoServer:
    """A stand-in for Google's and Facebook's picture hosts, on 127.0.0.1."""

    def __init__(self):
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.path)
                route = getattr(server, "route_" + self.path.strip("/").replace("-", "_"), None)
                if route is None:
                    self.send_error(404)
                else:
                    route(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/{path}"

    @staticmethod
    def _send(handler, body: bytes, content_type="image/jpeg", status=200):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def route_photo(self, handler):
        self._send(handler, jpeg_with_everything())

    def route_text(self, handler):
        self._send(handler, b"<html>Sorry, that picture is gone</html>", content_type="image/jpeg")

    def route_error(self, handler):
        self._send(handler, b"Internal Server Error", content_type="text/plain", status=500)

    def route_huge(self, handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "image/jpeg")
        handler.send_header("Content-Length", str(200 * 1024 * 1024))
        handler.end_headers()
        self._stream_forever(handler)

    def route_endless(self, handler):
        # No Content-Length: the body only ends when one side hangs up.
        handler.send_response(200)
        handler.send_header("Content-Type", "image/jpeg")
        handler.end_headers()
        self._stream_forever(handler)

    @staticmethod
    def _stream_forever(handler):
        chunk = b"\xff" * 65536
        try:
            while True:
                handler.wfile.write(chunk)
        except OSError:
            pass  # the client stopped reading: what we want

    def route_redirect(self, handler):
        handler.send_response(302)
        handler.send_header("Location", "/photo")
        handler.end_headers()

    def route_redirect_to_file(self, handler):
        handler.send_response(302)
        handler.send_header("Location", "file:///etc/passwd")
        handler.end_headers()

    def route_down(self, handler):
        handler.close_connection = True  # hang up without answering


@pytest.fixture
def photo_server(settings):
    settings.TSUNAGU_PHOTO_FETCH_HOSTS = ["127.0.0.1"]
    server = PhotoServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_the_sign_in_photo_is_stored_through_the_pipeline(candidate_profile, photo_server):
    fetch_social_photo.delay(candidate_profile.pk, photo_server.url("photo"), "google")

    candidate_profile.refresh_from_db()
    assert candidate_profile.photo_source == "google"
    assert_no_metadata(stored(candidate_profile))
    assert opened(stored(candidate_profile, "photo_thumbnail")).size == (256, 256)


def test_a_redirect_to_another_picture_url_is_followed(candidate_profile, photo_server):
    fetch_social_photo.delay(candidate_profile.pk, photo_server.url("redirect"), "facebook")

    candidate_profile.refresh_from_db()
    assert candidate_profile.photo_source == "facebook"
    assert photo_server.requests == ["/redirect", "/photo"]


@pytest.mark.parametrize("path", ["text", "error", "huge", "endless", "redirect-to-file"])
def test_a_bad_answer_leaves_no_photo_and_no_error(candidate_profile, photo_server, path):
    started = time.monotonic()

    fetch_social_photo.delay(candidate_profile.pk, photo_server.url(path), "google")  # does not raise

    candidate_profile.refresh_from_db()
    assert not candidate_profile.photo
    assert photo_server.requests == [f"/{path}"]  # tried once: trying again would not help
    assert time.monotonic() - started < 10  # stopped reading, did not wait for the body to end


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1:{port}/photo", "http://localhost:{port}/photo"],
    ids=["file", "ftp", "other-host"],
)
def test_urls_other_than_the_picture_hosts_are_never_requested(candidate_profile, photo_server, url):
    fetch_social_photo.delay(candidate_profile.pk, url.format(port=photo_server.httpd.server_port), "google")

    candidate_profile.refresh_from_db()
    assert not candidate_profile.photo
    assert photo_server.requests == []


def test_a_network_failure_during_sign_in_leaves_no_photo_and_no_error(candidate_profile, photo_server):
    # Celery runs eagerly here, inside the request that queued the task (as
    # without a broker): Celery's autoretry would raise its Retry out of
    # .delay(), so the task gives up at once. On a worker it is retried later.
    fetch_social_photo.delay(candidate_profile.pk, photo_server.url("down"), "google")  # does not raise

    candidate_profile.refresh_from_db()
    assert not candidate_profile.photo
    assert photo_server.requests == ["/down"]


def test_the_sign_in_photo_never_replaces_a_photo_the_candidate_has(candidate, photo_server):
    profile = CandidateProfileWithPhotoFactory(user=candidate)
    before = stored(profile)

    fetch_social_photo.delay(profile.pk, photo_server.url("photo"), "google")

    assert stored(profile) == before  # (stored() reloads the profile)
    assert profile.photo_source == "upload"
    assert photo_server.requests == []
