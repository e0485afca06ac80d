"""A logo is stored as its pixels only: whatever text the applicant's file carried is not kept.

Each case sends a real file made by Pillow through the public form (入力 → 確認 → 申請) and reads the
file that was stored.
"""

import io

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from declarations.models import Declaration

from .factories import form_data, upload

pytestmark = pytest.mark.django_db

SECRET = "<script>alert(document.cookie)</script> tel 090-1234-5678"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{SECRET}</dc:creator>'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
).encode()
METADATA_KEYS = {"comment", "exif", "xmp", "icc_profile", "XML:com.adobe.xmp", "Description", "Author", "Comment"}


def exif_with_secret(orientation=1):
    exif = Image.Exif()
    exif[0x010E] = SECRET  # ImageDescription
    exif[0x013B] = "090-1234-5678"  # Artist
    exif[0x0112] = orientation
    return exif.tobytes()


def picture(mode="RGB", size=(120, 80)):
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 255))
    # Left half red, right half blue: shows which way up the stored picture is.
    image.paste((30, 30, 200) if mode == "RGB" else (30, 30, 200, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg_with_comment_exif_and_xmp(orientation=1):
    out = io.BytesIO()
    picture().save(out, "JPEG", comment=SECRET.encode(), exif=exif_with_secret(orientation), xmp=XMP)
    return out.getvalue()


def png_with_text_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Description", SECRET)  # tEXt
    info.add_text("Comment", SECRET, zip=True)  # zTXt
    info.add_itxt("Author", SECRET, lang="ja", tkey="作成者")  # iTXt
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    out = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    picture("RGBA").save(out, "PNG", pnginfo=info, exif=exif_with_secret(), icc_profile=srgb)
    return out.getvalue()


def webp_with_exif_and_xmp():
    out = io.BytesIO()
    picture().save(out, "WEBP", exif=exif_with_secret(), xmp=XMP, quality=95)
    return out.getvalue()


def submit_logo(client, content, name, content_type):
    data = form_data()
    data["logo"] = upload(content, name=name, content_type=content_type)
    assert client.post("/declarations/apply/", data).status_code == 302
    assert client.post("/declarations/apply/confirm/", {"action": "submit"}).status_code == 302
    declaration = Declaration.objects.get()
    with declaration.logo.open("rb") as stored:
        return stored.read()


def the_original_carries_the_secret(content):
    # The test files really do carry the text, so the test proves something.
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        assert SECRET in repr(image.info) or SECRET.encode() in content or image.getexif()


@pytest.mark.parametrize(
    "make, name, content_type, expected_format",
    [
        (jpeg_with_comment_exif_and_xmp, "logo.jpg", "image/jpeg", "JPEG"),
        (png_with_text_chunks, "logo.png", "image/png", "PNG"),
        (webp_with_exif_and_xmp, "logo.webp", "image/webp", "WEBP"),
    ],
)
def test_the_stored_logo_carries_no_comment_exif_xmp_text_or_profile(client, make, name, content_type, expected_format):
    original = make()
    the_original_carries_the_secret(original)

    stored = submit_logo(client, original, name, content_type)

    assert SECRET.encode() not in stored
    assert b"090-1234-5678" not in stored
    assert b"alert(document.cookie)" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        image.load()
        assert image.format == expected_format
        assert not METADATA_KEYS & set(image.info)
        assert len(image.getexif()) == 0
        assert getattr(image, "text", {}) == {}
        assert image.size == (120, 80)


def test_a_jpeg_comment_is_not_kept(client):
    # The exact report: a COM segment with a script and a phone number.
    out = io.BytesIO()
    picture().save(out, "JPEG", comment=SECRET.encode())
    stored = submit_logo(client, out.getvalue(), "logo.jpg", "image/jpeg")
    assert b"<script>" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert "comment" not in image.info


def test_a_phone_photo_is_stored_upright(client):
    # EXIF orientation 6: the camera was turned; the viewer must rotate 90° clockwise. The left
    # (red) half of the stored pixels is the top of the picture as the person took it.
    stored = submit_logo(client, jpeg_with_comment_exif_and_xmp(orientation=6), "photo.jpg", "image/jpeg")
    with Image.open(io.BytesIO(stored)) as image:
        image = image.convert("RGB")
        assert image.size == (80, 120)
        top, bottom = image.getpixel((40, 10)), image.getpixel((40, 110))
    assert top[0] > 150 and top[2] < 90  # red
    assert bottom[2] > 150 and bottom[0] < 90  # blue


def test_a_transparent_palette_png_keeps_its_transparency_and_colours(client):
    image = Image.new("P", (60, 40), 1)
    image.putpalette([255, 255, 255, 200, 30, 30] + [0, 0, 0] * 254)
    image.paste(0, (0, 0, 30, 40))
    out = io.BytesIO()
    image.save(out, "PNG", transparency=0)

    stored = submit_logo(client, out.getvalue(), "logo.png", "image/png")

    with Image.open(io.BytesIO(stored)) as result:
        assert result.mode == "RGBA"
        assert result.getpixel((5, 5))[3] == 0
        assert result.getpixel((50, 5)) == (200, 30, 30, 255)


def test_colours_tagged_srgb_stay_the_same(client):
    out = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (40, 40), (10, 120, 200)).save(out, "PNG", icc_profile=srgb)

    stored = submit_logo(client, out.getvalue(), "logo.png", "image/png")

    with Image.open(io.BytesIO(stored)) as result:
        assert "icc_profile" not in result.info
        r, g, b = result.getpixel((20, 20))[:3]
    assert abs(r - 10) <= 2 and abs(g - 120) <= 2 and abs(b - 200) <= 2
